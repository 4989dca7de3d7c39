"""two-factor sign-in: a user's TOTP secret (encrypted), when it was turned on and the last time step accepted
(a code is good once); their one-time recovery codes (argon2 hashes); a sign-in waiting for its second factor;
whether the practice requires two-factor of everyone

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('two_factor_secret_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('two_factor_on_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('two_factor_last_step', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_two_factor', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('code_hash', sa.String(length=200), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_recovery_codes_user_id', 'recovery_codes', ['user_id'])


def downgrade() -> None:
    op.drop_index('ix_recovery_codes_user_id', table_name='recovery_codes')
    op.drop_table('recovery_codes')
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_column('second_factor_pending')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('require_two_factor')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('two_factor_last_step')
        batch_op.drop_column('two_factor_on_at')
        batch_op.drop_column('two_factor_secret_enc')
