"""revision tokens on rounds and rubrics (per-process caches of the juror's page), the juror's list index

Revision ID: a3f9c1d7b2e4
Revises: f3c8a1d5b7e2
Create Date: 2026-12-08 07:30:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3f9c1d7b2e4'
down_revision = 'f3c8a1d5b7e2'
branch_labels = None
depends_on = None


def _add_revision(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.String(length=16), nullable=True))
    rows = sa.table(table, sa.column('id', sa.Integer()), sa.column('revision', sa.String(16)))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(rows.c.id)).all():
        connection.execute(rows.update().where(rows.c.id == row_id).values(revision=secrets.token_hex(8)))
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column('revision', existing_type=sa.String(length=16), nullable=False)


def upgrade():
    _add_revision('rounds')
    _add_revision('rubrics')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_juror_id'))
        batch_op.create_index('ix_assignments_juror_list', ['juror_id', 'round_id', 'position', 'code'], unique=False)


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_juror_list')
        batch_op.create_index(batch_op.f('ix_assignments_juror_id'), ['juror_id'], unique=False)
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('revision')
