"""grading: which checks a run's verdict went through, and the id a candidate may see per test

Revision ID: c9e4a7b1d3f8
Revises: b8d2f6a4c1e9
Create Date: 2026-12-06 04:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9e4a7b1d3f8'
down_revision = 'b8d2f6a4c1e9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checks', sa.String(length=60), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('test_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('candidate_id', sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table('test_results', schema=None) as batch_op:
        batch_op.drop_column('candidate_id')
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.drop_column('checks')
