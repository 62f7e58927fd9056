"""shortlist entries remember how many more jurors a final-round proposal gave them

Revision ID: d5a7c1e3f9b2
Revises: dbdeff3c8332
Create Date: 2026-12-07 04:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a7c1e3f9b2'
down_revision = 'dbdeff3c8332'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_jurors', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_shortlist_entries_extra_jurors'), 'extra_jurors is null or extra_jurors between 1 and 20')


def downgrade():
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_shortlist_entries_extra_jurors'), type_='check')
        batch_op.drop_column('extra_jurors')
