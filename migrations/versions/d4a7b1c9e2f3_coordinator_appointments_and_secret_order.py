"""coordinators are appointed per city; a juror's own city moves to the juror profile; rounds get a secret order

Revision ID: d4a7b1c9e2f3
Revises: c3f1e2a9d7b4
Create Date: 2026-12-07 04:30:00.000000

users.city_id was both the coordinator's scope and a field the juror edits in their profile, so a juror who was
also a coordinator could widen their own access. Scope now comes from city_coordinators (set by the secretariat);
the juror's city (a fact for conflicts, no access) lives in juror_profiles.city_id; users.city_id goes.
"""
import hashlib
import secrets
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a7b1c9e2f3'
down_revision = "c3f1e2a9d7b4"
branch_labels = None
depends_on = None


def _order_key(secret: str, assignment_id: int) -> int:  # judging.models.round.order_key, frozen here
    digest = hashlib.blake2b(str(assignment_id).encode(), key=secret.encode()[:64], digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1


def upgrade():
    op.create_table(
        'city_coordinators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('city_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_city_coordinators_city_id_cities'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_city_coordinators_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_city_coordinators')),
        sa.UniqueConstraint('user_id', 'city_id', name=op.f('uq_city_coordinators_user_id_city_id')),
    )
    with op.batch_alter_table('city_coordinators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_city_coordinators_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_city_coordinators_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_juror_profiles_city_id_cities'), 'cities', ['city_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_secret', sa.String(length=64), nullable=False, server_default=''))

    conn = op.get_bind()
    # Coordinators keep the city they had; jurors keep their city as a profile fact.
    conn.execute(sa.text(
        "INSERT INTO city_coordinators (user_id, city_id, created_at) "
        "SELECT u.id, u.city_id, :now FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE r.role = 'coordinator' AND u.city_id IS NOT NULL"),
        {"now": datetime.now(timezone.utc).replace(tzinfo=None)})  # naive UTC, as core.db.UTCDateTime stores
    conn.execute(sa.text(
        "UPDATE juror_profiles SET city_id = (SELECT u.city_id FROM users u WHERE u.id = juror_profiles.user_id)"))
    # Every round gets its secret, and every list its new order.
    for (round_id,) in conn.execute(sa.text("SELECT id FROM rounds")).all():
        secret = secrets.token_hex(32)
        conn.execute(sa.text("UPDATE rounds SET order_secret = :s WHERE id = :i"), {"s": secret, "i": round_id})
        for (assignment_id,) in conn.execute(sa.text("SELECT id FROM assignments WHERE round_id = :i"),
                                             {"i": round_id}).all():
            conn.execute(sa.text("UPDATE assignments SET position = :p WHERE id = :i"),
                         {"p": _order_key(secret, assignment_id), "i": assignment_id})

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.alter_column('order_secret', server_default=None)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_city_id_cities'), type_='foreignkey')
        batch_op.drop_column('city_id')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_city_id_cities'), 'cities', ['city_id'], ['id'],
                                    ondelete='SET NULL')
    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE users SET city_id = (SELECT p.city_id FROM juror_profiles p WHERE p.user_id = users.id)"))
    conn.execute(sa.text(
        "UPDATE users SET city_id = (SELECT MIN(c.city_id) FROM city_coordinators c WHERE c.user_id = users.id) "
        "WHERE id IN (SELECT user_id FROM city_coordinators)"))
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('order_secret')
    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_juror_profiles_city_id_cities'), type_='foreignkey')
        batch_op.drop_column('city_id')
    with op.batch_alter_table('city_coordinators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_city_coordinators_user_id'))
        batch_op.drop_index(batch_op.f('ix_city_coordinators_city_id'))
    op.drop_table('city_coordinators')
