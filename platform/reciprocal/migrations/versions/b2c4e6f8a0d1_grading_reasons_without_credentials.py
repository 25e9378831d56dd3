"""grading: reasons that carried the worker credential are rewritten

Revision ID: b2c4e6f8a0d1
Revises: d5b1e7c3a9f2
Create Date: 2026-12-06 03:00:00.000000

Before this revision a grading that could not fetch the submission kept git's error as its
reason, and git's error repeated its arguments: `-c http.extraHeader=Authorization: Bearer
<the worker credential>`. Every assigned reviewer read it. Such reasons become the generic one
runs get now; the credential itself must be replaced (docs/production.md says how). Data only:
no column changes, and nothing to restore on the way down.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2c4e6f8a0d1'
down_revision = 'd5b1e7c3a9f2'
branch_labels = None
depends_on = None

GENERIC = ("The grading infrastructure failed and retries were used up: the submission could "
           "not be fetched from the platform. A reviewer can re-run it.")


def upgrade():
    runs = sa.table('grading_runs', sa.column('reason', sa.Text))
    carried = sa.or_(runs.c.reason.like('%extraHeader%'), runs.c.reason.like('%Bearer %'),
                     runs.c.reason.like('%bearer %'))
    op.execute(runs.update().where(carried).values(reason=GENERIC))


def downgrade():
    pass
