"""grading: each run's integrity verdict (clean, flagged, altered) and its evidence

Revision ID: e6b2d9f4a1c8
Revises: b7d41c2e9f30
Create Date: 2026-12-02 12:00:00.000000

Runs graded before this revision were never checked: they are recorded as "unchecked" with no
evidence, so nobody reads an old pass as a checked one.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e6b2d9f4a1c8'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('integrity', sa.String(length=20), nullable=False,
                                      server_default='clean'))
        batch_op.add_column(sa.Column('integrity_evidence', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))
    runs = sa.table('grading_runs', sa.column('integrity', sa.String),
                    sa.column('finished_at', sa.DateTime(timezone=True)))
    op.execute(runs.update().where(runs.c.finished_at.is_not(None))
               .values(integrity='unchecked'))


def downgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.drop_column('integrity_evidence')
        batch_op.drop_column('integrity')
