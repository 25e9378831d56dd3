"""Staff sign-in: the single sign-on link of an account, its authenticator (two-factor) and
recovery codes, and the recent single sign-on failures shown to admins

Revision ID: c4d8e2a6f0b1
Revises: e1a7c3f9b5d2
Create Date: 2026-12-06 13:30:00.000000

Existing accounts are linked to no provider and have no second factor until they enrol.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d8e2a6f0b1'
down_revision = 'e1a7c3f9b5d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('oidc_issuer', sa.String(length=300), nullable=True))
        batch.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('totp_secret', sa.String(length=300), nullable=True))
        batch.add_column(sa.Column('totp_enabled', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.create_unique_constraint('uq_users_oidc_issuer', ['oidc_issuer', 'oidc_subject'])
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=200), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_recovery_codes_user_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_recovery_codes'),
    )
    op.create_index('ix_recovery_codes_user_id', 'recovery_codes', ['user_id'])
    op.create_table(
        'sign_in_errors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=False),
        sa.Column('message', sa.String(length=500), nullable=False),
        sa.Column('who', sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_sign_in_errors'),
    )
    op.create_index('ix_sign_in_errors_at', 'sign_in_errors', ['at'])


def downgrade():
    op.drop_index('ix_sign_in_errors_at', table_name='sign_in_errors')
    op.drop_table('sign_in_errors')
    op.drop_index('ix_recovery_codes_user_id', table_name='recovery_codes')
    op.drop_table('recovery_codes')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_oidc_issuer', type_='unique')
        batch.drop_column('totp_last_step')
        batch.drop_column('totp_enabled')
        batch.drop_column('totp_secret')
        batch.drop_column('oidc_subject')
        batch.drop_column('oidc_issuer')
