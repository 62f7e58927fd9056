"""export jobs record the digest of their inputs and what they expose

Revision ID: c3f1e2a9d7b4
Revises: c3e1f0a9d2b4
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1e2a9d7b4'
down_revision = "c3e1f0a9d2b4"
branch_labels = None
depends_on = None


def upgrade():
    # Jobs made before have neither: the export page no longer offers their files (judging/exports/freshness.py).
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inputs_digest', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('exposes', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_column('exposes')
        batch_op.drop_column('inputs_digest')
