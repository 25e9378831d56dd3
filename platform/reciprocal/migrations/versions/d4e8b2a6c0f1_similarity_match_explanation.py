"""similarity: each match stores why the pair is alike; a version's wrong solution is indexed

A match's explanation (a known solution or not, shared functions, shares). A version now has
two known-solution documents (its reference and its wrong solution), so the version id of a
document is indexed rather than unique.

Revision ID: d4e8b2a6c0f1
Revises: c4d8e2a7f1b9
Create Date: 2026-12-06 13:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4e8b2a6c0f1'
down_revision = 'c4d8e2a7f1b9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('similarity_matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explanation', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
    with op.batch_alter_table('similarity_documents', schema=None) as batch_op:
        batch_op.drop_constraint('uq_similarity_documents_assignment_version_id', type_='unique')
        batch_op.create_index('ix_similarity_documents_assignment_version_id',
                              ['assignment_version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('similarity_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_similarity_documents_assignment_version_id')
        batch_op.create_unique_constraint('uq_similarity_documents_assignment_version_id',
                                          ['assignment_version_id'])
    with op.batch_alter_table('similarity_matches', schema=None) as batch_op:
        batch_op.drop_column('explanation')
