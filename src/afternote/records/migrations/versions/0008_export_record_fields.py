"""what an export needs that the record lacked: the practice's letterhead (address, phone, NPI) and its EHR-paste
heading style, a user's licence number, and a client's date of birth (encrypted: it is health data)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('npi', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('paste_headings', sa.String(length=10), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licence_number', sa.String(length=50), nullable=True))
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_date_enc', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('birth_date_enc')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('licence_number')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('paste_headings')
        batch_op.drop_column('npi')
        batch_op.drop_column('phone')
        batch_op.drop_column('address')
