"""similarity: each match stores why the pair is alike (its explanation)

Revision ID: d4e8b2a6c0f1
Revises: e1a7c3f9b5d2
Create Date: 2026-12-06 13:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4e8b2a6c0f1'
down_revision = 'e1a7c3f9b5d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('similarity_matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explanation', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))


def downgrade():
    with op.batch_alter_table('similarity_matches', schema=None) as batch_op:
        batch_op.drop_column('explanation')
