"""search: synonyms the administrators add to the thesaurus

Revision ID: 0015_thesaurus
Revises: 0020_sso
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_thesaurus'
down_revision = '0020_sso'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('names', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_search_synonyms_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonyms'))
    )


def downgrade():
    op.drop_table('search_synonyms')
