"""review: the comment library, reusable comment texts per assignment

Revision ID: a1c5e9d3b7f2
Revises: 0f9e8d7c6b5a
Create Date: 2026-12-02 15:50:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1c5e9d3b7f2'
down_revision = '0f9e8d7c6b5a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comment_snippets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=True),
        sa.Column('uses', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('comment_snippets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_snippets_assignment_id'), ['assignment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('comment_snippets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_snippets_assignment_id'))
    op.drop_table('comment_snippets')
