"""city: its own date, time and number formats, and its own wording of citizen messages

Revision ID: 5b1c0e7d9a42
Revises: eca99dd8e923
Create Date: 2026-11-23 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1c0e7d9a42'
down_revision = 'eca99dd8e923'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: on SQLite a batch (table copy) would lose the spatial boundary's index.
    op.add_column('city', sa.Column('formats', sa.JSON(), nullable=True))
    op.add_column('city', sa.Column('messages', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('city', 'messages')
    op.drop_column('city', 'formats')
