"""review: interview-kit notes per author (one note per submission, section and author)

Revision ID: b7d41c2e9f30
Revises: a5567d08460f
Create Date: 2026-12-02 06:50:00.000000

The old table already records the author (the person who last wrote the shared note), and held
at most one note per submission and section, so every existing note simply becomes its author's
own note: no row moves and none can collide under the new key.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d41c2e9f30'
down_revision = 'a5567d08460f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interview_notes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_interview_notes_submission_id', type_='unique')
        batch_op.create_unique_constraint(
            'uq_interview_notes_author_section', ['submission_id', 'author_id', 'section'])


def downgrade():
    # One shared note per section again: keep the most recently written one of each section.
    notes = sa.table('interview_notes', sa.column('id', sa.Integer),
                     sa.column('submission_id', sa.Integer), sa.column('section', sa.String),
                     sa.column('updated_at', sa.DateTime(timezone=True)))
    newer = notes.alias('newer')
    op.execute(notes.delete().where(sa.exists().where(
        newer.c.submission_id == notes.c.submission_id,
        newer.c.section == notes.c.section,
        sa.or_(newer.c.updated_at > notes.c.updated_at,
               sa.and_(newer.c.updated_at == notes.c.updated_at, newer.c.id > notes.c.id)),
    )))
    with op.batch_alter_table('interview_notes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_interview_notes_author_section', type_='unique')
        batch_op.create_unique_constraint(
            'uq_interview_notes_submission_id', ['submission_id', 'section'])
