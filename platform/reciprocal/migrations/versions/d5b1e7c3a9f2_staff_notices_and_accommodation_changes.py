"""notify: staff digests of what candidates do (staff_notices), and how often an accommodation
was set (capped per invitation)

Revision ID: d5b1e7c3a9f2
Revises: c8e4f2a6d1b9
Create Date: 2026-12-03 11:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd5b1e7c3a9f2'
down_revision = 'c8e4f2a6d1b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name='fk_staff_notices_invitation_id_invitations'),
        sa.PrimaryKeyConstraint('id', name='pk_staff_notices'),
    )
    op.create_index('ix_staff_notices_invitation_id', 'staff_notices', ['invitation_id'])
    op.create_index('ix_staff_notices_sent_at', 'staff_notices', ['sent_at'])
    with op.batch_alter_table('accommodations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.Integer(), server_default='0',
                                      nullable=False))
    # Every accommodation on record was set at least once.
    op.execute("UPDATE accommodations SET changes = 1")


def downgrade():
    with op.batch_alter_table('accommodations', schema=None) as batch_op:
        batch_op.drop_column('changes')
    op.drop_index('ix_staff_notices_sent_at', table_name='staff_notices')
    op.drop_index('ix_staff_notices_invitation_id', table_name='staff_notices')
    op.drop_table('staff_notices')
