"""the seal covers the session and the signer's name and chains each link to the one before (a payload shape per
signature and addendum, a head seal per note); triggers guard the rest of a signed note and its closed session

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (the triggers, which now also guard closed sessions, are recreated by migrations/env.py after the run)
    # seals made before this revision keep verifying over the payload shape they were made with (1)
    for table in ('signatures', 'addenda'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('seal_version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_seal', sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_column('head_seal')
    for table in ('addenda', 'signatures'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('seal_version')
