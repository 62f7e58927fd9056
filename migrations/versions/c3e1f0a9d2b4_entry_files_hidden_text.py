"""entry files: the text that cleaning removed, for the name check

Revision ID: c3e1f0a9d2b4
Revises: 25178cca72dc
Create Date: 2026-11-26 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e1f0a9d2b4'
down_revision = '25178cca72dc'
branch_labels = None
depends_on = None


def upgrade():
    # Files uploaded before this revision have no hidden text on record until `flask clean-again` runs.
    with op.batch_alter_table('entry_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_text', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('entry_files', schema=None) as batch_op:
        batch_op.alter_column('hidden_text', server_default=None)


def downgrade():
    with op.batch_alter_table('entry_files', schema=None) as batch_op:
        batch_op.drop_column('hidden_text')
