"""inbound SMS: how many times handling was tried (a failed message is handled again)

Revision ID: 4e1f0a6b7c21
Revises: d20c836056e6
Create Date: 2026-12-03 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4e1f0a6b7c21'
down_revision = 'd20c836056e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inbound_sms') as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.create_index('ix_inbound_sms_unhandled', ['state', 'created_at'])


def downgrade():
    with op.batch_alter_table('inbound_sms') as batch_op:
        batch_op.drop_index('ix_inbound_sms_unhandled')
        batch_op.drop_column('attempts')
