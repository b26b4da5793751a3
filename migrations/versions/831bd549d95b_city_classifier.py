"""city classifier: each city's trained model and how it did on held-back complaints

Revision ID: 831bd549d95b
Revises: 5b1c0e7d9a42
Create Date: 2026-12-03 17:18:55.581964

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '831bd549d95b'
down_revision = '5b1c0e7d9a42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('city_classifier',
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('model', sa.LargeBinary(), nullable=True),
    sa.Column('signature', sa.String(length=64), nullable=True),
    sa.Column('library_version', sa.String(length=32), nullable=True),
    sa.Column('n_examples', sa.Integer(), nullable=False),
    sa.Column('n_held_back', sa.Integer(), nullable=False),
    sa.Column('model_accuracy', sa.Float(), nullable=True),
    sa.Column('keyword_accuracy', sa.Float(), nullable=True),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_city_classifier_city_id_city'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('city_id', name=op.f('pk_city_classifier'))
    )


def downgrade():
    op.drop_table('city_classifier')
