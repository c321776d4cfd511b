"""entry vectors: each entry's sentence vector, for matching by meaning

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 19:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vector', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('vector')
