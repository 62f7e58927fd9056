"""the secretariat's content in French: an edition's theme and rules, a material's title

Revision ID: d7a4c2e9f1b3
Revises: e8b2d4f6a1c3
Create Date: 2026-12-07 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a4c2e9f1b3'
down_revision = 'e8b2d4f6a1c3'
branch_labels = None
depends_on = None


def upgrade():
    # Empty until the secretariat writes them: French readers see the English text (core/templating.in_language).
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_fr', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('rules_fr', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_fr', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_column('title_fr')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('rules_fr')
        batch_op.drop_column('theme_fr')
