"""page cache: the data generation, one token replaced after every committed write

Revision ID: 0015_page_cache
Revises: 0014_upload_texts
Create Date: 2026-12-07 04:10:00.000000

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_page_cache"
down_revision = "0014_upload_texts"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16)}])


def downgrade():
    op.drop_table("data_generation")
