"""the client's chart: pronouns, referral source and emergency contact on the client (encrypted), diagnoses and
insurance tables, and a signature's sealed diagnoses and confirmed CPT code (seal shape 4)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pronouns_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('referral_source_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('emergency_contact_enc', sa.LargeBinary(), nullable=True))
    # signatures are append-only: the triggers are dropped around every migration run (migrations/env.py)
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diagnoses_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('cpt_enc', sa.LargeBinary(), nullable=True))
    op.create_table(
        'diagnoses',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('clinician_id', sa.String(length=32), nullable=False),
        sa.Column('code_enc', sa.LargeBinary(), nullable=False),
        sa.Column('description_enc', sa.LargeBinary(), nullable=False),
        sa.Column('is_primary', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('starts_on', sa.Date(), nullable=True),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id']),
        sa.ForeignKeyConstraint(['clinician_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_diagnoses_client', 'diagnoses', ['practice_id', 'client_id'])
    op.create_table(
        'insurance',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('clinician_id', sa.String(length=32), nullable=False),
        sa.Column('payer_enc', sa.LargeBinary(), nullable=True),
        sa.Column('member_id_enc', sa.LargeBinary(), nullable=True),
        sa.Column('authorization_enc', sa.LargeBinary(), nullable=True),
        sa.Column('authorized_sessions', sa.Integer(), nullable=True),
        sa.Column('authorized_from', sa.Date(), nullable=True),
        sa.Column('authorized_to', sa.Date(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id']),
        sa.ForeignKeyConstraint(['clinician_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('client_id'))


def downgrade() -> None:
    # a signature that sealed diagnoses or a CPT code would fail verification without them, as if tampered with:
    # refuse before this revision changes anything (the chart's own tables go, as 0012 and 0013 drop theirs).
    # PostgreSQL then rolls back the whole run; SQLite has already undone any later revision of the same run
    sealed = op.get_bind().execute(sa.text(
        "SELECT 1 FROM signatures WHERE diagnoses_enc IS NOT NULL OR cpt_enc IS NOT NULL LIMIT 1")).first()
    if sealed is not None:
        raise RuntimeError("Signed notes in this database sealed diagnoses or a CPT code, which the schema before "
                           "0014 cannot hold, so the downgrade stopped before 0014 undid anything (`afternote "
                           "migrate` brings back any later revision it undid). Restore a backup made before "
                           "upgrading instead.")
    op.drop_table('insurance')
    op.drop_index('ix_diagnoses_client', table_name='diagnoses')
    op.drop_table('diagnoses')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('cpt_enc')
        batch_op.drop_column('diagnoses_enc')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('emergency_contact_enc')
        batch_op.drop_column('referral_source_enc')
        batch_op.drop_column('pronouns_enc')
