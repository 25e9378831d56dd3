"""Voluntary self-identification: the questions admins configure and candidates' answers,
kept apart from review for the fairness report

Revision ID: f3b7d1e5a9c2
Revises: d4e8b2a6c0f1
Create Date: 2026-12-06 14:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3b7d1e5a9c2'
down_revision = 'd4e8b2a6c0f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'self_id_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('prompt', sa.String(length=300), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_self_id_questions'),
        sa.UniqueConstraint('key', name='uq_self_id_questions_key'),
    )
    op.create_table(
        'self_identifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('question_key', sa.String(length=40), nullable=False),
        sa.Column('answer', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name='fk_self_identifications_invitation_id_invitations'),
        sa.PrimaryKeyConstraint('id', name='pk_self_identifications'),
        sa.UniqueConstraint('invitation_id', 'question_key',
                            name='uq_self_identifications_invitation_id'),
    )
    op.create_index('ix_self_identifications_invitation_id', 'self_identifications',
                    ['invitation_id'])


def downgrade():
    op.drop_index('ix_self_identifications_invitation_id', table_name='self_identifications')
    op.drop_table('self_identifications')
    op.drop_table('self_id_questions')
