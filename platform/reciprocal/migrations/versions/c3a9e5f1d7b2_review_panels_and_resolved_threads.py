"""review: panels per role, reviewers away, hand-backs, and resolved comment threads

Revision ID: c3a9e5f1d7b2
Revises: b7d41c2e9f30
Create Date: 2026-12-02 11:50:00.000000

Existing comments stay unresolved; existing assignments stay as they are (a role starts with an
empty panel, so nothing is assigned automatically until a recruiter fills it).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a9e5f1d7b2'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'panel_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['role_id'], ['roles.id']),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('role_id', 'reviewer_id', name='uq_panel_members_role'),
    )
    op.create_index('ix_panel_members_role_id', 'panel_members', ['role_id'])
    op.create_index('ix_panel_members_reviewer_id', 'panel_members', ['reviewer_id'])
    op.create_table(
        'reviewer_away',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'review_handbacks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id']),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_review_handbacks_submission_id', 'review_handbacks', ['submission_id'])
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_review_comments_resolved_by', 'users',
                                    ['resolved_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_constraint('fk_review_comments_resolved_by', type_='foreignkey')
        batch_op.drop_column('resolved_by_id')
        batch_op.drop_column('resolved_at')
    op.drop_index('ix_review_handbacks_submission_id', table_name='review_handbacks')
    op.drop_table('review_handbacks')
    op.drop_table('reviewer_away')
    op.drop_index('ix_panel_members_reviewer_id', table_name='panel_members')
    op.drop_index('ix_panel_members_role_id', table_name='panel_members')
    op.drop_table('panel_members')
