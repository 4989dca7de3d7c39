"""records: initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-27 07:12:55.475077
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('username', sa.String(length=100), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=True),
    sa.Column('record_id', sa.String(length=32), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index('ix_audit_practice_at', ['practice_id', 'at'], unique=False)

    op.create_table('practices',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('note_deadline_hours', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('credentials', sa.String(length=50), nullable=False),
    sa.Column('supervisor_id', sa.String(length=32), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.ForeignKeyConstraint(['supervisor_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username', name='uq_users_username')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_practice_id'), ['practice_id'], unique=False)

    op.create_table('clients',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('clinician_id', sa.String(length=32), nullable=False),
    sa.Column('name_enc', sa.LargeBinary(), nullable=False),
    sa.Column('identifier_enc', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index('ix_clients_practice_clinician', ['practice_id', 'clinician_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('clinician_id', sa.String(length=32), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('service', sa.String(length=30), nullable=True),
    sa.Column('modality', sa.String(length=30), nullable=True),
    sa.Column('telehealth', sa.String(length=10), nullable=True),
    sa.Column('attendees_enc', sa.LargeBinary(), nullable=True),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.ForeignKeyConstraint(['clinician_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        # Partial indexes: the backlog reads only open sessions and notes awaiting co-signature.
        batch_op.create_index('ix_appointments_open', ['practice_id', 'clinician_id', 'starts_at'], unique=False,
                              sqlite_where=sa.text('open = 1'), postgresql_where=sa.text('open'))
        batch_op.create_index('ix_appointments_client', ['client_id', 'starts_at'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('appointment_id', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('clinician_id', sa.String(length=32), nullable=False),
    sa.Column('key_points_enc', sa.LargeBinary(), nullable=False),
    sa.Column('format', sa.String(length=50), nullable=False),
    sa.Column('engine', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('awaiting_cosign_by', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], ),
    sa.ForeignKeyConstraint(['awaiting_cosign_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.ForeignKeyConstraint(['clinician_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('appointment_id')
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index('ix_notes_cosign', ['practice_id', 'awaiting_cosign_by'], unique=False,
                              sqlite_where=sa.text('awaiting_cosign_by IS NOT NULL'),
                              postgresql_where=sa.text('awaiting_cosign_by IS NOT NULL'))
        batch_op.create_index('ix_notes_practice_clinician_status', ['practice_id', 'clinician_id', 'status'], unique=False)

    op.create_table('addenda',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('note_id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('credentials', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reason_enc', sa.LargeBinary(), nullable=False),
    sa.Column('text_enc', sa.LargeBinary(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('seal', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('addenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addenda_note_id'), ['note_id'], unique=False)

    op.create_table('note_versions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('note_id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=50), nullable=False),
    sa.Column('engine', sa.String(length=50), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('content_enc', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('note_id', 'number', name='uq_note_versions_number')
    )
    op.create_table('signatures',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('practice_id', sa.String(length=32), nullable=False),
    sa.Column('note_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('signer_id', sa.String(length=32), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('credentials', sa.String(length=50), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('seal', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatures_note_id'), ['note_id'], unique=False)
    # The triggers (tamper resistance below the services) are created by migrations/env.py after every run.


def downgrade() -> None:
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_note_id'))

    op.drop_table('signatures')
    op.drop_table('note_versions')
    with op.batch_alter_table('addenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_addenda_note_id'))

    op.drop_table('addenda')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index('ix_notes_practice_clinician_status')
        batch_op.drop_index('ix_notes_cosign')

    op.drop_table('notes')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_client')
        batch_op.drop_index('ix_appointments_open')

    op.drop_table('appointments')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_practice_clinician')

    op.drop_table('clients')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_practice_id'))

    op.drop_table('users')
    op.drop_table('practices')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_practice_at')
        batch_op.drop_index(batch_op.f('ix_audit_events_practice_id'))

    op.drop_table('audit_events')
