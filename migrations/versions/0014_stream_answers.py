"""stream answers: the asker of a stream conversation marks one reply as its answer

Revision ID: 0014_stream_answers
Revises: 0013_look
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_stream_answers'
down_revision = '0013_look'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('microposts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_microposts_answer_id_microposts'),
            'microposts',
            ['answer_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('microposts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_microposts_answer_id_microposts'), type_='foreignkey')
        batch_op.drop_column('answer_id')
