"""merge the schema branches written in parallel (review panels, fairness, rescore, Greenhouse,
similarity, runtime, grading integrity, token lifecycle) into one head

Revision ID: 0f9e8d7c6b5a
Revises: a4c7e2b9d1f5, a7c2e4b9d1f3, c3a9e5f1d7b2, c3f1a7e5d920, c3f1a9e7d2b4, d4e8a1c9b2f6,
    e6b2d9f4a1c8, f2a9c4e71b3d
Create Date: 2026-12-02 13:05:00.000000

Each branch was written against b7d41c2e9f30 at the same time and none touches another's tables
or columns, so the merge changes nothing itself: it only gives `alembic upgrade head` one head.
"""

# revision identifiers, used by Alembic.
revision = '0f9e8d7c6b5a'
down_revision = ('a4c7e2b9d1f5', 'a7c2e4b9d1f3', 'c3a9e5f1d7b2', 'c3f1a7e5d920', 'c3f1a9e7d2b4',
                 'd4e8a1c9b2f6', 'e6b2d9f4a1c8', 'f2a9c4e71b3d')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
