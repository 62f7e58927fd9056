"""durable task rows for the queue, and rankings stored per round and category

Revision ID: d4a7b2c9e1f3
Revises: d7a4c2e9f1b3
Create Date: 2026-12-07 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a7b2c9e1f3'
down_revision = 'd7a4c2e9f1b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'queued_tasks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=True),
        sa.Column('not_before', sa.DateTime(), nullable=False),
        sa.Column('leased_until', sa.DateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('failed_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queued_tasks')),
        sa.UniqueConstraint('key', name=op.f('uq_queued_tasks_key')),
    )
    with op.batch_alter_table('queued_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queued_tasks_not_before'), ['not_before'], unique=False)
    op.create_table(
        'ranking_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('inputs_version', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'],
                                name=op.f('fk_ranking_snapshots_category_id_categories'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'],
                                name=op.f('fk_ranking_snapshots_round_id_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_snapshots')),
        sa.UniqueConstraint('round_id', 'category_id', name=op.f('uq_ranking_snapshots_round_id_category_id')),
    )
    with op.batch_alter_table('ranking_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_snapshots_category_id'), ['category_id'], unique=False)


def downgrade():
    with op.batch_alter_table('ranking_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_snapshots_category_id'))
    op.drop_table('ranking_snapshots')
    with op.batch_alter_table('queued_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queued_tasks_not_before'))
    op.drop_table('queued_tasks')
