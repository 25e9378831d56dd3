"""review: where each comment-library snippet's text and uses came from (independent scoring)

Revision ID: c8e4f2a6d1b9
Revises: c9e4a7b1d3f8
Create Date: 2026-12-03 09:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c8e4f2a6d1b9'
down_revision = 'c9e4a7b1d3f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comment_snippet_sources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('snippet_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['snippet_id'], ['comment_snippets.id'], ondelete='CASCADE',
            name='fk_comment_snippet_sources_snippet_id_comment_snippets'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name='fk_comment_snippet_sources_submission_id_submissions'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name='fk_comment_snippet_sources_user_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_comment_snippet_sources'),
    )
    op.create_index('ix_comment_snippet_sources_snippet_id', 'comment_snippet_sources',
                    ['snippet_id'])
    op.create_index('ix_comment_snippet_sources_submission_id', 'comment_snippet_sources',
                    ['submission_id'])


def downgrade():
    op.drop_index('ix_comment_snippet_sources_submission_id',
                  table_name='comment_snippet_sources')
    op.drop_index('ix_comment_snippet_sources_snippet_id', table_name='comment_snippet_sources')
    op.drop_table('comment_snippet_sources')
