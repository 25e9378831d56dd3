"""assignments authored as code: hosted repositories, validations of pushes, publications;
an assignment's kind and stack; which staff may author assignments

Revision ID: b8e2f4a6c1d3
Revises: d7a3f1c9e5b2
Create Date: 2026-12-06 09:40:00.000000

Three new tables and three new columns with defaults; existing rows keep their meaning (every
assignment green-field with an empty stack until the next sync, no staff account an author
but admins).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8e2f4a6c1d3'
down_revision = 'd7a3f1c9e5b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=30), nullable=False,
                                   server_default='greenfield'))
        batch.add_column(sa.Column('stack', sa.JSON(), nullable=False,
                                   server_default=sa.text("'[]'")))
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('can_author_assignments', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        'assignment_repositories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('copied_from', sa.String(length=100), nullable=True),
        sa.Column('managed_by', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_assignment_repositories_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_repositories')),
        sa.UniqueConstraint('slug', name=op.f('uq_assignment_repositories_slug')),
    )
    op.create_table(
        'assignment_validations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('repository_id', sa.Integer(), nullable=False),
        sa.Column('commit_sha', sa.String(length=40), nullable=False),
        sa.Column('ref', sa.String(length=255), nullable=False),
        sa.Column('commit_message', sa.Text(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('job_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('log', sa.Text(), nullable=False),
        sa.Column('checks', sa.JSON(), nullable=False),
        sa.Column('failing_step', sa.String(length=200), nullable=False),
        sa.Column('failing_output', sa.Text(), nullable=False),
        sa.Column('environment', sa.String(length=200), nullable=False),
        sa.Column('ids', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['repository_id'], ['assignment_repositories.id'],
            name=op.f('fk_assignment_validations_repository_id_assignment_repositories')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_assignment_validations_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_validations')),
    )
    op.create_index(op.f('ix_assignment_validations_repository_id'), 'assignment_validations',
                    ['repository_id'], unique=False)
    op.create_table(
        'assignment_publications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('repository_id', sa.Integer(), nullable=False),
        sa.Column('commit_sha', sa.String(length=40), nullable=False),
        sa.Column('validation_id', sa.Integer(), nullable=True),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ['repository_id'], ['assignment_repositories.id'],
            name=op.f('fk_assignment_publications_repository_id_assignment_repositories')),
        sa.ForeignKeyConstraint(
            ['validation_id'], ['assignment_validations.id'],
            name=op.f('fk_assignment_publications_validation_id_assignment_validations')),
        sa.ForeignKeyConstraint(
            ['version_id'], ['assignment_versions.id'],
            name=op.f('fk_assignment_publications_version_id_assignment_versions')),
        sa.ForeignKeyConstraint(['published_by_id'], ['users.id'],
                                name=op.f('fk_assignment_publications_published_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_publications')),
    )
    op.create_index(op.f('ix_assignment_publications_repository_id'),
                    'assignment_publications', ['repository_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_assignment_publications_repository_id'),
                  table_name='assignment_publications')
    op.drop_table('assignment_publications')
    op.drop_index(op.f('ix_assignment_validations_repository_id'),
                  table_name='assignment_validations')
    op.drop_table('assignment_validations')
    op.drop_table('assignment_repositories')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('can_author_assignments')
    with op.batch_alter_table('assignments') as batch:
        batch.drop_column('stack')
        batch.drop_column('kind')
