"""accounts and candidates: API token expiry, the recorded starter commit, ended candidate links

Revision ID: d4e8a1c9b2f6
Revises: b7d41c2e9f30
Create Date: 2026-12-02 11:40:00.000000

Tokens made before expiry existed get 90 days from this migration rather than from their
creation, so that upgrading never locks an integration out without notice. Repositories made
before the starter commit was recorded keep a NULL starter_sha; review falls back to their
oldest root commit (git/browse.py).
"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4e8a1c9b2f6'
down_revision = 'b7d41c2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starter_sha', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('access_ended_at', sa.DateTime(timezone=True),
                                      nullable=True))
    expires = datetime.now(UTC) + timedelta(days=90)
    if op.get_bind().dialect.name == 'sqlite':
        expires = expires.replace(tzinfo=None)
    tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime(timezone=True)),
                      sa.column('revoked_at', sa.DateTime(timezone=True)))
    op.execute(tokens.update().where(tokens.c.revoked_at.is_(None)).values(expires_at=expires))


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('access_ended_at')
        batch_op.drop_column('starter_sha')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
