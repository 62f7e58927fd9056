"""the rankings' inputs revision token (one row) and the token each stored ranking keeps

Revision ID: c4e8b1f6a2d9
Revises: b7e2f4a9c1d8
Create Date: 2026-12-07 11:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e8b1f6a2d9'
down_revision = 'b7e2f4a9c1d8'
branch_labels = None
depends_on = None


def upgrade():
    # No row: the task storing a ranking makes it (judging/results/inputs.py), so an empty database stays empty.
    op.create_table(
        'ranking_inputs_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_inputs_revision')),
    )
    with op.batch_alter_table('ranking_snapshots', schema=None) as batch_op:
        # Rankings stored before keep no token: each view checks their inputs' version until they are computed again.
        batch_op.add_column(sa.Column('inputs_token', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('ranking_snapshots', schema=None) as batch_op:
        batch_op.drop_column('inputs_token')
    op.drop_table('ranking_inputs_revision')
