"""AI assistants: an assignment's policy, a role's override, the policy an invitation's
candidate accepted, their disclosure at submit, and the flags a rejection cites

Revision ID: e1a7c3f9b5d2
Revises: b8e2f4a6c1d3
Create Date: 2026-12-08 10:00:00.000000

Existing assignments read as "allowed with disclosure" with the default text until their next
sync; existing roles follow their assignment; invitations accepted before this have no frozen
policy (they read the live one); no submission has a disclosure (nothing is inferred).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1a7c3f9b5d2'
down_revision = 'b8e2f4a6c1d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments') as batch:
        batch.add_column(sa.Column('ai_use', sa.String(length=30), nullable=False,
                                   server_default='allowed-with-disclosure'))
        batch.add_column(sa.Column('ai_policy_text', sa.Text(), nullable=False,
                                   server_default=''))
    with op.batch_alter_table('roles') as batch:
        batch.add_column(sa.Column('ai_use', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('ai_policy_text', sa.Text(), nullable=True))
    with op.batch_alter_table('invitations') as batch:
        batch.add_column(sa.Column('ai_use', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('ai_policy_text', sa.Text(), nullable=True))
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('cited_flags', sa.JSON(), nullable=False,
                                   server_default=sa.text("'[]'")))
        batch.add_column(sa.Column('flag_reason', sa.Text(), nullable=True))
    op.create_table(
        'ai_disclosures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('used_tools', sa.Boolean(), nullable=False),
        sa.Column('tools', sa.Text(), nullable=False),
        sa.Column('transcript', sa.Text(), nullable=False),
        sa.Column('transcript_name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_ai_disclosures_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_disclosures')),
        sa.UniqueConstraint('submission_id', name=op.f('uq_ai_disclosures_submission_id')),
    )


def downgrade():
    op.drop_table('ai_disclosures')
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('flag_reason')
        batch.drop_column('cited_flags')
    with op.batch_alter_table('invitations') as batch:
        batch.drop_column('ai_policy_text')
        batch.drop_column('ai_use')
    with op.batch_alter_table('roles') as batch:
        batch.drop_column('ai_policy_text')
        batch.drop_column('ai_use')
    with op.batch_alter_table('assignments') as batch:
        batch.drop_column('ai_policy_text')
        batch.drop_column('ai_use')
