"""lists kept as JSON arrays instead of comma-separated text; one name per audit action

Revision ID: f3c8a1d5b7e2
Revises: d4a7b2c9e1f3
Create Date: 2026-12-08 09:00:00.000000

The enum columns (statuses, kinds, purposes, roles, age groups, disciplines) keep their VARCHARs and their
CHECK constraints: the models now generate those CHECKs from the enums (core.db.str_enum), with the same
names (ck_<table>_<column>) and the same values, so the schema does not change for them.

Four lists were comma-separated text; they become JSON arrays, converted row by row in both directions
(SQLite through batch mode, PostgreSQL with plain ALTERs):
- editions.languages, juror_profiles.languages: "en,fr" <-> ["en", "fr"]
- tokens.roles (an invitation's roles, NULL elsewhere): "juror,teacher" <-> ["juror", "teacher"]
- tie_orders.entry_ids: "12,7" <-> [12, 7]

The audit trail had two names for a round being created: "round_created" (a round made on the rounds page)
and "round.created" (a final round made from a shortlist). "round.created" stays. The downgrade can tell
them apart: only a final round's event names its source round.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c8a1d5b7e2'
down_revision = 'd4a7b2c9e1f3'
branch_labels = None
depends_on = None

# table, its key, the list column, the text column's type, nullable, the type of an item
LISTS = [
    ('editions', 'id', 'languages', sa.String(length=200), False, str),
    ('juror_profiles', 'user_id', 'languages', sa.String(length=200), False, str),
    ('tokens', 'id', 'roles', sa.String(length=100), True, str),
    ('tie_orders', 'id', 'entry_ids', sa.String(length=2000), False, int),
]


def _from_text(text, item):
    return None if text is None else [item(part) for part in text.split(',') if part]


def _to_text(items):
    return None if items is None else ','.join(str(item) for item in items)


def _swap(table, key, column, nullable, old_type, new_type, convert):
    """Add the column in its new type beside the old one, convert every row, drop the old and take its name."""
    temporary = f'{column}_swap'
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(temporary, new_type, nullable=True))
    rows = sa.table(table, sa.column(key, sa.Integer()), sa.column(column, old_type), sa.column(temporary, new_type))
    bind = op.get_bind()
    for row_key, value in bind.execute(sa.select(rows.c[key], rows.c[column])).all():
        bind.execute(rows.update().where(rows.c[key] == row_key).values({temporary: convert(value)}))
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column(column)
        batch_op.alter_column(temporary, new_column_name=column, existing_type=new_type, nullable=nullable)


def upgrade():
    for table, key, column, text_type, nullable, item in LISTS:
        _swap(table, key, column, nullable, text_type, sa.JSON(none_as_null=True),
              lambda text, item=item: _from_text(text, item))
    op.execute("update audit_events set action = 'round.created' where action = 'round_created'")


def downgrade():
    op.execute("update audit_events set action = 'round_created' "
               "where action = 'round.created' and details_json not like '%\"source_round\"%'")
    for table, key, column, text_type, nullable, _item in reversed(LISTS):
        _swap(table, key, column, nullable, sa.JSON(none_as_null=True), text_type, _to_text)
