"""campaign: cities' quote cards, stories and statements, their files, and the campaign timeline per edition

Revision ID: dbdeff3c8332
Revises: d4a7b1c9e2f3
Create Date: 2026-12-07 04:11:16.048702

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dbdeff3c8332'
down_revision = 'd4a7b1c9e2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('person_title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('translation_language', sa.String(length=16), nullable=False),
    sa.Column('translation_text', sa.Text(), nullable=False),
    sa.Column('consent_image', sa.Boolean(), nullable=False),
    sa.Column('consent_publication', sa.Boolean(), nullable=False),
    sa.Column('consent_social', sa.Boolean(), nullable=False),
    sa.Column('consent_name', sa.Boolean(), nullable=False),
    sa.Column('review_message', sa.Text(), nullable=False),
    sa.Column('crop_x', sa.Float(), nullable=False),
    sa.Column('crop_y', sa.Float(), nullable=False),
    sa.Column('crop_zoom', sa.Float(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind in ('quote', 'story', 'statement')", name=op.f('ck_campaign_submissions_kind')),
    sa.CheckConstraint("status in ('draft', 'submitted', 'returned', 'approved')", name=op.f('ck_campaign_submissions_status')),
    sa.CheckConstraint('crop_x between 0 and 1 and crop_y between 0 and 1 and crop_zoom between 1 and 4', name=op.f('ck_campaign_submissions_crop')),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_campaign_submissions_city_id_cities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_campaign_submissions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_campaign_submissions_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_submissions'))
    )
    with op.batch_alter_table('campaign_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_submissions_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_submissions_edition_id'), ['edition_id'], unique=False)

    op.create_table('campaign_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('original_key', sa.String(length=64), nullable=False),
    sa.Column('original_size', sa.BigInteger(), nullable=False),
    sa.Column('cleaned_key', sa.String(length=64), nullable=True),
    sa.Column('cleaned_mime', sa.String(length=80), nullable=False),
    sa.Column('web_key', sa.String(length=64), nullable=True),
    sa.Column('thumb_key', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind in ('image', 'pdf', 'docx', 'odt', 'txt')", name=op.f('ck_campaign_files_kind')),
    sa.CheckConstraint("purpose in ('photo', 'document', 'consent_form')", name=op.f('ck_campaign_files_purpose')),
    sa.ForeignKeyConstraint(['submission_id'], ['campaign_submissions.id'], name=op.f('fk_campaign_files_submission_id_campaign_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_files')),
    sa.UniqueConstraint('submission_id', 'purpose', name=op.f('uq_campaign_files_submission_id_purpose'))
    )
    with op.batch_alter_table('campaign_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_files_submission_id'), ['submission_id'], unique=False)

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_deadline_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('campaign_launch_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('campaign_statements_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('campaign_page_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('campaign_max_quotes', sa.Integer(), server_default='5', nullable=False))
        batch_op.create_check_constraint(op.f('ck_editions_campaign_max_quotes'), 'campaign_max_quotes between 0 and 100')



def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_editions_campaign_max_quotes'), type_='check')
        batch_op.drop_column('campaign_max_quotes')
        batch_op.drop_column('campaign_page_on')
        batch_op.drop_column('campaign_statements_on')
        batch_op.drop_column('campaign_launch_on')
        batch_op.drop_column('campaign_deadline_at')

    with op.batch_alter_table('campaign_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_files_submission_id'))

    op.drop_table('campaign_files')
    with op.batch_alter_table('campaign_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_submissions_edition_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_submissions_city_id'))

    op.drop_table('campaign_submissions')
