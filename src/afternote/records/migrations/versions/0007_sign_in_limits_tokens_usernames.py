"""sign-in limits per username and address (a row each, locked while a password is checked); API tokens expire
and may be read-only, their names encrypted; usernames unique within a practice rather than across them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00
"""
import datetime as dt
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TOKEN_DAYS = 90  # tokens made before expiry existed get the default lifetime from the upgrade on


def upgrade() -> None:
    op.create_table('sign_in_limits',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('read_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('name_enc', sa.LargeBinary(), nullable=True))
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=True)
    expires = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=TOKEN_DAYS)
    op.execute(sa.text("UPDATE api_tokens SET expires_at = :at WHERE expires_at IS NULL").bindparams(at=expires))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_username', type_='unique')
        batch_op.create_unique_constraint('uq_users_practice_username', ['practice_id', 'username'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_username', ['username'], unique=False)
    _normalize_usernames()


def _normalize_usernames() -> None:
    """Usernames are compared in NFKC now; an old one that differs takes that form unless it would then collide
    within its practice (sign-in still matches such a name exactly as typed)."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, practice_id, username FROM users")).all()
    taken = {(practice, name) for _id, practice, name in rows}
    for user_id, practice, name in rows:
        normal = unicodedata.normalize("NFKC", name).strip()
        if normal != name and normal and (practice, normal) not in taken:
            connection.execute(sa.text("UPDATE users SET username = :name WHERE id = :id"),
                               {"name": normal, "id": user_id})
            taken.add((practice, normal))


def downgrade() -> None:
    op.execute("UPDATE api_tokens SET name = 'token' WHERE name IS NULL")  # the encrypted names cannot come back
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_username')
        batch_op.drop_constraint('uq_users_practice_username', type_='unique')
        batch_op.create_unique_constraint('uq_users_username', ['username'])
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=False)
        batch_op.drop_column('name_enc')
        batch_op.drop_column('read_only')
        batch_op.drop_column('expires_at')
    op.drop_table('sign_in_limits')
