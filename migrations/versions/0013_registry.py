"""registry: blog posts remember when they were announced

Revision ID: 0013_registry
Revises: 0013_sign_ins
Create Date: 2026-12-06 21:30:00.000000

A scheduled post is announced to its blog's followers and the colleagues it mentions when
its time comes; ``announced_at`` says it was, so it happens once. Posts already readable
count as announced (they were, when they were published).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_registry'
down_revision = '0013_sign_ins'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('blog_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_at', sa.DateTime(), nullable=True))
    posts = sa.table(
        'blog_posts',
        sa.column('status', sa.String),
        sa.column('publish_at', sa.DateTime),
        sa.column('announced_at', sa.DateTime),
    )
    op.execute(
        posts.update()
        .where(posts.c.status == 'published', posts.c.publish_at <= sa.func.current_timestamp())
        .values(announced_at=posts.c.publish_at)
    )


def downgrade():
    with op.batch_alter_table('blog_posts', schema=None) as batch_op:
        batch_op.drop_column('announced_at')
