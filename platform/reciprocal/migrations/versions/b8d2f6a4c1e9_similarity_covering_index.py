"""similarity: the fingerprint index covers the document id (lookups read no table rows)

Counting how many of a submission's fingerprints each indexed document holds reads, for every
shared hash, all its occurrences. With the document id in the index the database answers from
the index alone instead of visiting one table row per occurrence.

Revision ID: b8d2f6a4c1e9
Revises: a1c5e9d3b7f2
Create Date: 2026-12-02 20:30:00.000000
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d2f6a4c1e9'
down_revision = 'a1c5e9d3b7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('similarity_fingerprints', schema=None) as batch_op:
        batch_op.create_index('ix_similarity_fingerprints_scope_hash_document',
                              ['scope', 'hash', 'document_id'], unique=False)
        batch_op.drop_index('ix_similarity_fingerprints_scope_hash')


def downgrade():
    with op.batch_alter_table('similarity_fingerprints', schema=None) as batch_op:
        batch_op.create_index('ix_similarity_fingerprints_scope_hash', ['scope', 'hash'],
                              unique=False)
        batch_op.drop_index('ix_similarity_fingerprints_scope_hash_document')
