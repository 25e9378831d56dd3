"""candidates: private accommodations, extension requests and candidates' notes on results

Revision ID: a7c2e4b9d1f3
Revises: b7d41c2e9f30
Create Date: 2026-12-02 12:10:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c2e4b9d1f3'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accommodations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('extra_time_percent', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('note_for_recruiter', sa.Boolean(), nullable=False),
        sa.Column('base_cap_minutes', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name='fk_accommodations_invitation_id_invitations'),
        sa.PrimaryKeyConstraint('id', name='pk_accommodations'),
        sa.UniqueConstraint('invitation_id', name='uq_accommodations_invitation_id'),
    )
    op.create_table(
        'extension_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name='fk_extension_requests_invitation_id_invitations'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name='fk_extension_requests_requested_by_id_users'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name='fk_extension_requests_decided_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_extension_requests'),
    )
    op.create_index('ix_extension_requests_invitation_id', 'extension_requests',
                    ['invitation_id'])
    op.create_table(
        'result_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('target_kind', sa.String(length=20), nullable=False),
        sa.Column('target', sa.String(length=500), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name='fk_result_notes_submission_id_submissions'),
        sa.PrimaryKeyConstraint('id', name='pk_result_notes'),
    )
    op.create_index('ix_result_notes_submission_id', 'result_notes', ['submission_id'])


def downgrade():
    op.drop_index('ix_result_notes_submission_id', table_name='result_notes')
    op.drop_table('result_notes')
    op.drop_index('ix_extension_requests_invitation_id', table_name='extension_requests')
    op.drop_table('extension_requests')
    op.drop_table('accommodations')
