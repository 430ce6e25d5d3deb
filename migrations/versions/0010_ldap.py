"""directory accounts: where the password is checked, when the directory last confirmed
the account

Revision ID: 0010_ldap
Revises: 0006_microblog
Create Date: 2026-11-23 13:33:07.387898

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_ldap'
down_revision = '0006_microblog'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auth_source', sa.String(length=16), server_default='local', nullable=False))
        batch_op.add_column(sa.Column('directory_checked_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('directory_checked_at')
        batch_op.drop_column('auth_source')
