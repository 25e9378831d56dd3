"""assignment versions: what a valid run recorded (its environment, the reference's test ids);
grading runs: the candidate's pages they photographed

Revision ID: d7a3f1c9e5b2
Revises: b2c4e6f8a0d1
Create Date: 2026-12-06 06:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7a3f1c9e5b2'
down_revision = 'b2c4e6f8a0d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('validation', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screenshots', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('grading_runs', schema=None) as batch_op:
        batch_op.drop_column('screenshots')
    with op.batch_alter_table('assignment_versions', schema=None) as batch_op:
        batch_op.drop_column('validation')
