"""grading: the OCI runtime each run's container ran under (runsc or runc)

Revision ID: c3f1a7e5d920
Revises: b7d41c2e9f30
Create Date: 2026-12-02 11:45:00.000000

Runs graded before this revision all ran under Docker's default runtime, runc: the container
options named no runtime then, so they are recorded as runc.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3f1a7e5d920'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runtime', sa.String(length=20), nullable=False,
                                      server_default=''))
    runs = sa.table('grading_runs', sa.column('runtime', sa.String),
                    sa.column('finished_at', sa.DateTime(timezone=True)))
    op.execute(runs.update().where(runs.c.finished_at.is_not(None)).values(runtime='runc'))


def downgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.drop_column('runtime')
