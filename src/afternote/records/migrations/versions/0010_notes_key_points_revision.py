"""a note's key points carry their own revision, so a save based on an older one is refused, not lost

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 05:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_points_revision', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_column('key_points_revision')
