"""note returns: a supervisor's return of a signed note awaiting their co-signature to its author, with an
encrypted comment (append-only)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (its append-only triggers are created by migrations/env.py after the run)
    op.create_table(
        'note_returns',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('note_id', sa.String(length=32), nullable=False),
        sa.Column('supervisor_id', sa.String(length=32), nullable=False),
        sa.Column('supervisor_name', sa.String(length=200), nullable=False),
        sa.Column('returned_at', sa.DateTime(), nullable=False),
        sa.Column('comment_enc', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['note_id'], ['notes.id']),
        sa.ForeignKeyConstraint(['supervisor_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_note_returns_note_id', 'note_returns', ['note_id'])


def downgrade() -> None:
    op.drop_index('ix_note_returns_note_id', table_name='note_returns')
    op.drop_table('note_returns')
