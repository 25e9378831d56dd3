"""SCIM provisioning: the identity provider's userName and id on staff accounts, accounts it
deleted (kept, deactivated and hidden, so past work keeps its author), and its bearer token

Revision ID: c4d8e2a7f1b9
Revises: c4d8e2a6f0b1
Create Date: 2026-12-06 13:30:00.000000

Existing accounts have no userName of their own (their email is their SCIM userName), no
external id and are not deleted.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4d8e2a7f1b9'
down_revision = 'c4d8e2a6f0b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('user_name', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('external_id', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint(op.f('uq_users_user_name'), ['user_name'])
        batch.create_index(op.f('ix_users_external_id'), ['external_id'])
    op.create_table(
        'scim_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_scim_tokens_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_scim_tokens_token_hash')),
    )


def downgrade():
    op.drop_table('scim_tokens')
    with op.batch_alter_table('users') as batch:
        batch.drop_index('ix_users_external_id')
        batch.drop_constraint('uq_users_user_name', type_='unique')
        batch.drop_column('deleted_at')
        batch.drop_column('user_name')
        batch.drop_column('external_id')
