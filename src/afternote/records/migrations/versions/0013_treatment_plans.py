"""treatment plans: a head per plan, its versions (the document, encrypted) and its signatures (sealed), both
append-only; a practice's plan review period

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (the append-only triggers of the two new tables are created by migrations/env.py after the run)
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_review_days', sa.Integer(), nullable=True))
    op.create_table(
        'treatment_plans',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('clinician_id', sa.String(length=32), nullable=False),
        sa.Column('current_version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id']),
        sa.ForeignKeyConstraint(['clinician_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_treatment_plans_client', 'treatment_plans', ['practice_id', 'client_id'])
    op.create_table(
        'treatment_plan_versions',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('plan_id', sa.String(length=32), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.String(length=32), nullable=False),
        sa.Column('content_enc', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['plan_id'], ['treatment_plans.id']),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('plan_id', 'number', name='uq_treatment_plan_versions_number'))
    op.create_table(
        'plan_signatures',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('practice_id', sa.String(length=32), nullable=False),
        sa.Column('plan_id', sa.String(length=32), nullable=False),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('signer_id', sa.String(length=32), nullable=False),
        sa.Column('signer_name', sa.String(length=200), nullable=False),
        sa.Column('credentials', sa.String(length=50), nullable=False),
        sa.Column('signed_at', sa.DateTime(), nullable=False),
        sa.Column('content_sha256', sa.String(length=64), nullable=False),
        sa.Column('seal', sa.String(length=80), nullable=False),
        sa.Column('seal_version', sa.Integer(), nullable=False, server_default='1'),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id']),
        sa.ForeignKeyConstraint(['plan_id'], ['treatment_plans.id']),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id']),
        sa.ForeignKeyConstraint(['signer_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('plan_id', 'version', name='uq_plan_signatures_version'))
    op.create_index('ix_plan_signatures_plan_id', 'plan_signatures', ['plan_id'])
    op.create_index('ix_plan_signatures_client', 'plan_signatures', ['practice_id', 'client_id', 'signed_at'])


def downgrade() -> None:
    op.drop_index('ix_plan_signatures_client', table_name='plan_signatures')
    op.drop_index('ix_plan_signatures_plan_id', table_name='plan_signatures')
    op.drop_table('plan_signatures')
    op.drop_table('treatment_plan_versions')
    op.drop_index('ix_treatment_plans_client', table_name='treatment_plans')
    op.drop_table('treatment_plans')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('plan_review_days')
