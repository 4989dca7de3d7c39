"""measures: the rating-scale totals typed in each note's key points, per client, for the client's chart

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Notes drafted before this revision get their rows when their key points are next saved; the migration has
    # no key to read them with.
    op.create_table(
        'measures',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('note_id', sa.String(length=32), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('instrument_enc', sa.LargeBinary(), nullable=False),
        sa.Column('score_enc', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id']),
        sa.ForeignKeyConstraint(['note_id'], ['notes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.create_index('ix_measures_client', ['practice_id', 'client_id', 'date'], unique=False)
        batch_op.create_index('ix_measures_note', ['note_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_index('ix_measures_note')
        batch_op.drop_index('ix_measures_client')
    op.drop_table('measures')
