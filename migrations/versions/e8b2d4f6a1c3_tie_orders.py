"""the secretariat's order for ties the rubric leaves (the ranking's manual order)

Revision ID: e8b2d4f6a1c3
Revises: d5a7c1e3f9b2
Create Date: 2026-12-07 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'e8b2d4f6a1c3'
down_revision = 'd5a7c1e3f9b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tie_orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('entry_ids', sa.String(length=2000), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_tie_orders_category_id_categories'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_tie_orders_decided_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_tie_orders_round_id_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tie_orders')),
    )
    op.create_index('ix_tie_orders_round_category', 'tie_orders', ['round_id', 'category_id'], unique=False)


def downgrade():
    op.drop_index('ix_tie_orders_round_category', table_name='tie_orders')
    op.drop_table('tie_orders')
