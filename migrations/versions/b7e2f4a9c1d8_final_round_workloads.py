"""final round workloads: each category's workload and what its waves spent, in a table (was read from the audit)

Revision ID: b7e2f4a9c1d8
Revises: a3f9c1d7b2e4
Create Date: 2026-12-07 10:50:00.000000

The second wave read the workload the secretariat set, and the score sets the waves proposed, from the audit
trail (``round.final_proposal_used``, ``round.second_wave_added``). The upgrade fills the table from those
events, as ``second_wave.budget`` read them: the last first wave of a (round, category) sets the workload and
its score sets, each second wave after it adds its own. The downgrade drops the table (the events stay).
"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e2f4a9c1d8'
down_revision = 'a3f9c1d7b2e4'
branch_labels = None
depends_on = None

FIRST_WAVE = 'round.final_proposal_used'
SECOND_WAVE = 'round.second_wave_added'


def _budgets(connection) -> dict:
    """(round id, category id) -> [workload, spent], from the audit events in their order."""
    events = sa.table('audit_events', sa.column('id', sa.Integer()), sa.column('action', sa.String(60)),
                      sa.column('object_type', sa.String(40)), sa.column('object_id', sa.Integer()),
                      sa.column('details_json', sa.Text()))
    out: dict = {}
    for action, round_id, details_json in connection.execute(
            sa.select(events.c.action, events.c.object_id, events.c.details_json)
            .where(events.c.object_type == 'rounds', events.c.action.in_([FIRST_WAVE, SECOND_WAVE]))
            .order_by(events.c.id)):
        details = json.loads(details_json or '{}')
        category = details.get('category')
        if round_id is None or category is None:
            continue
        key = (int(round_id), int(category))
        if action == FIRST_WAVE:
            out[key] = [int(details.get('workload', 0)), int(details.get('score_sets', 0))]
        elif key in out:
            out[key][1] += int(details.get('score_sets', 0))
    return out


def upgrade():
    op.create_table(
        'final_round_workloads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('workload', sa.Integer(), nullable=False),
        sa.Column('spent', sa.Integer(), nullable=False),
        sa.CheckConstraint('workload >= 1', name=op.f('ck_final_round_workloads_workload')),
        sa.CheckConstraint('spent >= 0', name=op.f('ck_final_round_workloads_spent')),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'],
                                name=op.f('fk_final_round_workloads_category_id_categories'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'],
                                name=op.f('fk_final_round_workloads_round_id_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_final_round_workloads')),
        sa.UniqueConstraint('round_id', 'category_id', name=op.f('uq_final_round_workloads_round_id_category_id')),
    )
    with op.batch_alter_table('final_round_workloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_round_workloads_category_id'), ['category_id'], unique=False)
    connection = op.get_bind()
    budgets = _budgets(connection)
    if not budgets:
        return
    rounds = sa.table('rounds', sa.column('id', sa.Integer()))
    categories = sa.table('categories', sa.column('id', sa.Integer()))
    round_ids = set(connection.scalars(sa.select(rounds.c.id)))
    category_ids = set(connection.scalars(sa.select(categories.c.id)))
    table = sa.table('final_round_workloads', sa.column('round_id', sa.Integer()),
                     sa.column('category_id', sa.Integer()), sa.column('workload', sa.Integer()),
                     sa.column('spent', sa.Integer()))
    rows = [{'round_id': r, 'category_id': c, 'workload': workload, 'spent': max(0, spent)}
            for (r, c), (workload, spent) in sorted(budgets.items())
            if workload >= 1 and r in round_ids and c in category_ids]
    if rows:
        connection.execute(table.insert(), rows)


def downgrade():
    with op.batch_alter_table('final_round_workloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_round_workloads_category_id'))
    op.drop_table('final_round_workloads')
