"""similarity: fingerprint index, checks, matches and explanation requests

Revision ID: c3f1a9e7d2b4
Revises: b7d41c2e9f30
Create Date: 2026-12-02 11:45:00.000000

New tables only; nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3f1a9e7d2b4'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'similarity_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('scope', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=True),
        sa.Column('assignment_version_id', sa.Integer(), nullable=True),
        sa.Column('corpus', sa.String(length=100), nullable=True),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('fingerprint_count', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name='fk_similarity_documents_submission_id_submissions'),
        sa.ForeignKeyConstraint(
            ['assignment_version_id'], ['assignment_versions.id'],
            name='fk_similarity_documents_version'),
        sa.PrimaryKeyConstraint('id', name='pk_similarity_documents'),
        sa.UniqueConstraint('submission_id', name='uq_similarity_documents_submission_id'),
        sa.UniqueConstraint('assignment_version_id',
                            name='uq_similarity_documents_assignment_version_id'),
    )
    op.create_index('ix_similarity_documents_scope', 'similarity_documents', ['scope'])
    op.create_index('ix_similarity_documents_corpus', 'similarity_documents', ['corpus'])
    op.create_table(
        'similarity_fingerprints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.Integer(), nullable=False),
        sa.Column('hash', sa.BigInteger(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('line_start', sa.Integer(), nullable=False),
        sa.Column('line_end', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['similarity_documents.id'], ondelete='CASCADE',
                                name='fk_similarity_fingerprints_document_id_similarity_documents'),
        sa.PrimaryKeyConstraint('id', name='pk_similarity_fingerprints'),
    )
    op.create_index('ix_similarity_fingerprints_document_id', 'similarity_fingerprints',
                    ['document_id'])
    op.create_index('ix_similarity_fingerprints_scope_hash', 'similarity_fingerprints',
                    ['scope', 'hash'])
    op.create_table(
        'similarity_hash_counts',
        sa.Column('scope', sa.Integer(), nullable=False),
        sa.Column('hash', sa.BigInteger(), nullable=False),
        sa.Column('documents', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'hash', name='pk_similarity_hash_counts'),
    )
    op.create_table(
        'similarity_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('rq_job_id', sa.String(length=64), nullable=True),
        sa.Column('threshold', sa.Float(), nullable=False),
        sa.Column('top_score', sa.Float(), nullable=False),
        sa.Column('fingerprint_count', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('queued_at', UTC_DATETIME, nullable=False),
        sa.Column('finished_at', UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name='fk_similarity_checks_submission_id_submissions'),
        sa.PrimaryKeyConstraint('id', name='pk_similarity_checks'),
        sa.UniqueConstraint('submission_id', name='uq_similarity_checks_submission_id'),
    )
    op.create_table(
        'similarity_matches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('other_document_id', sa.Integer(), nullable=False),
        sa.Column('other_submission_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('other_score', sa.Float(), nullable=False),
        sa.Column('shared', sa.Integer(), nullable=False),
        sa.Column('regions', sa.JSON(), nullable=False),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name='fk_similarity_matches_submission_id_submissions'),
        sa.ForeignKeyConstraint(
            ['other_document_id'], ['similarity_documents.id'], ondelete='CASCADE',
            name='fk_similarity_matches_other_document_id_similarity_documents'),
        sa.ForeignKeyConstraint(['other_submission_id'], ['submissions.id'],
                                name='fk_similarity_matches_other_submission_id_submissions'),
        sa.PrimaryKeyConstraint('id', name='pk_similarity_matches'),
    )
    op.create_index('ix_similarity_matches_submission_id', 'similarity_matches',
                    ['submission_id'])
    op.create_index('ix_similarity_matches_other_document_id', 'similarity_matches',
                    ['other_document_id'])
    op.create_index('ix_similarity_matches_other_submission_id', 'similarity_matches',
                    ['other_submission_id'])
    op.create_table(
        'similarity_explanations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('asked_by_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('asked_at', UTC_DATETIME, nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_at', UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name='fk_similarity_explanations_submission_id_submissions'),
        sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'],
                                name='fk_similarity_explanations_asked_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_similarity_explanations'),
    )
    op.create_index('ix_similarity_explanations_submission_id', 'similarity_explanations',
                    ['submission_id'])


def downgrade():
    op.drop_table('similarity_explanations')
    op.drop_table('similarity_matches')
    op.drop_table('similarity_checks')
    op.drop_table('similarity_hash_counts')
    op.drop_table('similarity_fingerprints')
    op.drop_table('similarity_documents')
