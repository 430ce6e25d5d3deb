"""microblog: posts (replies, pins, removal reasons, link cards), their tags, mentions and attachments

Revision ID: 0006_microblog
Revises: 0004_blog
Create Date: 2026-11-23 13:34:31.937391

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_microblog'
down_revision = '0004_blog'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('microposts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('root_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('preview_url', sa.String(length=500), nullable=True),
    sa.Column('preview_title', sa.String(length=300), nullable=True),
    sa.Column('preview_space', sa.String(length=200), nullable=True),
    sa.Column('preview_excerpt', sa.String(length=400), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removal_reason', sa.String(length=500), nullable=True),
    sa.Column('pinned_at', sa.DateTime(), nullable=True),
    sa.Column('pinned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_microposts_author_id_users')),
    sa.ForeignKeyConstraint(['pinned_by_id'], ['users.id'], name=op.f('fk_microposts_pinned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_microposts_removed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['microposts.id'], name=op.f('fk_microposts_reply_to_id_microposts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['root_id'], ['microposts.id'], name=op.f('fk_microposts_root_id_microposts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_microposts_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_microposts'))
    )
    with op.batch_alter_table('microposts', schema=None) as batch_op:
        batch_op.create_index('ix_microposts_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_microposts_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_microposts_reply_created', ['reply_to_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_microposts_root_id'), ['root_id'], unique=False)
        batch_op.create_index('ix_microposts_space_created', ['space_id', 'created_at'], unique=False)
        batch_op.create_index('ix_microposts_space_pinned', ['space_id', 'pinned_at'], unique=False)

    op.create_table('micropost_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['microposts.id'], name=op.f('fk_micropost_attachments_post_id_microposts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_micropost_attachments_upload_id_uploads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_micropost_attachments'))
    )
    with op.batch_alter_table('micropost_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_micropost_attachments_post_id'), ['post_id'], unique=False)

    op.create_table('micropost_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['microposts.id'], name=op.f('fk_micropost_mentions_post_id_microposts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_micropost_mentions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_micropost_mentions')),
    sa.UniqueConstraint('post_id', 'user_id', name=op.f('uq_micropost_mentions_post_id'))
    )
    with op.batch_alter_table('micropost_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_micropost_mentions_user_id'), ['user_id'], unique=False)

    op.create_table('micropost_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['microposts.id'], name=op.f('fk_micropost_tags_post_id_microposts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_micropost_tags')),
    sa.UniqueConstraint('post_id', 'tag', name=op.f('uq_micropost_tags_post_id'))
    )
    with op.batch_alter_table('micropost_tags', schema=None) as batch_op:
        batch_op.create_index('ix_micropost_tags_tag_post', ['tag', 'post_id'], unique=False)



def downgrade():
    with op.batch_alter_table('micropost_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_micropost_tags_tag_post')

    op.drop_table('micropost_tags')
    with op.batch_alter_table('micropost_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_micropost_mentions_user_id'))

    op.drop_table('micropost_mentions')
    with op.batch_alter_table('micropost_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_micropost_attachments_post_id'))

    op.drop_table('micropost_attachments')
    with op.batch_alter_table('microposts', schema=None) as batch_op:
        batch_op.drop_index('ix_microposts_space_pinned')
        batch_op.drop_index('ix_microposts_space_created')
        batch_op.drop_index(batch_op.f('ix_microposts_root_id'))
        batch_op.drop_index('ix_microposts_reply_created')
        batch_op.drop_index('ix_microposts_created_id')
        batch_op.drop_index('ix_microposts_author_created')

    op.drop_table('microposts')
