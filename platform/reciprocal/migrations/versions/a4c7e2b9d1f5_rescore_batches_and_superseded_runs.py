"""grading: re-score batches (fixed hidden tests) and preview / superseded runs

Revision ID: a4c7e2b9d1f5
Revises: b7d41c2e9f30
Create Date: 2026-12-02 12:40:00.000000

A run's `purpose` is "grade" (every run before this revision), "preview" (a re-score's run on
the new version's hidden tests that does not replace the current result) or "rescore" (a
confirmed preview, now the current result). A run that a re-score replaced keeps its row and
results, marked with `superseded_at` and `superseded_by_id`.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4c7e2b9d1f5'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rescores',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('to_version_id', sa.Integer(), nullable=False),
        sa.Column('from_version_ids', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name='fk_rescores_assignment_id'),
        sa.ForeignKeyConstraint(['to_version_id'], ['assignment_versions.id'],
                                name='fk_rescores_to_version_id'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name='fk_rescores_created_by_id'),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'],
                                name='fk_rescores_confirmed_by_id'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_rescores_assignment_id', 'rescores', ['assignment_id'])
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), nullable=False,
                                      server_default='grade'))
        batch_op.add_column(sa.Column('assignment_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rescore_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_grading_runs_assignment_version_id',
                                    'assignment_versions', ['assignment_version_id'], ['id'])
        batch_op.create_foreign_key('fk_grading_runs_rescore_id', 'rescores',
                                    ['rescore_id'], ['id'])
        batch_op.create_foreign_key('fk_grading_runs_superseded_by_id', 'grading_runs',
                                    ['superseded_by_id'], ['id'])
        batch_op.create_index('ix_grading_runs_rescore_id', ['rescore_id'])


def downgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_grading_runs_rescore_id')
        batch_op.drop_constraint('fk_grading_runs_superseded_by_id', type_='foreignkey')
        batch_op.drop_constraint('fk_grading_runs_rescore_id', type_='foreignkey')
        batch_op.drop_constraint('fk_grading_runs_assignment_version_id', type_='foreignkey')
        batch_op.drop_column('superseded_by_id')
        batch_op.drop_column('superseded_at')
        batch_op.drop_column('rescore_id')
        batch_op.drop_column('assignment_version_id')
        batch_op.drop_column('purpose')
    op.drop_index('ix_rescores_assignment_id', table_name='rescores')
    op.drop_table('rescores')
