"""integrations: Greenhouse Assessment Partner API keys and the tests Greenhouse sent

Revision ID: f2a9c4e71b3d
Revises: b7d41c2e9f30
Create Date: 2026-12-02 11:45:00.000000

Two new tables, nothing else changes: the org-level API keys (hashed) and one row per test that
Greenhouse sent, 1:1 with the invitation it created (Greenhouse's candidate and application ids,
the callback URL and the callback's delivery state).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f2a9c4e71b3d'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'greenhouse_api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(length=32), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_greenhouse_api_keys')),
        sa.UniqueConstraint('key_id', name=op.f('uq_greenhouse_api_keys_key_id')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_greenhouse_api_keys_key_hash')),
    )
    op.create_table(
        'greenhouse_assessments',
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('partner_interview_id', sa.String(length=40), nullable=False),
        sa.Column('partner_test_id', sa.String(length=200), nullable=False),
        sa.Column('api_key_id', sa.Integer(), nullable=False),
        sa.Column('greenhouse_candidate_id', sa.String(length=40), nullable=True),
        sa.Column('greenhouse_application_id', sa.String(length=40), nullable=True),
        sa.Column('greenhouse_profile_url', sa.String(length=2000), nullable=False),
        sa.Column('callback_url', sa.String(length=2000), nullable=False),
        sa.Column('sent_by', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('callback_status', sa.String(length=20), nullable=False),
        sa.Column('callback_attempts', sa.Integer(), nullable=False),
        sa.Column('callback_response_code', sa.Integer(), nullable=True),
        sa.Column('callback_last_error', sa.Text(), nullable=False),
        sa.Column('callback_queued_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('callback_delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rq_job_id', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name=op.f('fk_greenhouse_assessments_invitation_id_invitations')),
        sa.ForeignKeyConstraint(
            ['api_key_id'], ['greenhouse_api_keys.id'],
            name=op.f('fk_greenhouse_assessments_api_key_id_greenhouse_api_keys')),
        sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_greenhouse_assessments')),
        sa.UniqueConstraint('partner_interview_id',
                            name=op.f('uq_greenhouse_assessments_partner_interview_id')),
    )
    op.create_index(op.f('ix_greenhouse_assessments_callback_url'), 'greenhouse_assessments',
                    ['callback_url'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_greenhouse_assessments_callback_url'),
                  table_name='greenhouse_assessments')
    op.drop_table('greenhouse_assessments')
    op.drop_table('greenhouse_api_keys')
