"""wiki pages, revisions, links, redirects, watches, attachments and the upload store

Revision ID: 0003_wiki
Revises: 0007_audit
Create Date: 2026-11-23 13:08:00.694924

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_wiki'
down_revision = '0007_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_uploads_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads'))
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploads_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_uploader_id'), ['uploader_id'], unique=False)

    op.create_table('wiki_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_key', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('is_template', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_wiki_pages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_wiki_pages_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_wiki_pages_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['wiki_pages.id'], name=op.f('fk_wiki_pages_parent_id_wiki_pages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_wiki_pages_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_pages'))
    )
    with op.batch_alter_table('wiki_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_pages_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wiki_pages_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_wiki_pages_space_slug', ['space_id', 'slug'], unique=False)
        batch_op.create_index('ix_wiki_pages_space_title_key', ['space_id', 'title_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_wiki_pages_updated_at'), ['updated_at'], unique=False)

    op.create_table('wiki_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['wiki_pages.id'], name=op.f('fk_wiki_attachments_page_id_wiki_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_wiki_attachments_upload_id_uploads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_attachments'))
    )
    with op.batch_alter_table('wiki_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_attachments_page_id'), ['page_id'], unique=False)

    op.create_table('wiki_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_title', sa.String(length=200), nullable=False),
    sa.Column('target_key', sa.String(length=200), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['wiki_pages.id'], name=op.f('fk_wiki_links_source_id_wiki_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['wiki_pages.id'], name=op.f('fk_wiki_links_target_id_wiki_pages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_links'))
    )
    with op.batch_alter_table('wiki_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_links_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wiki_links_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wiki_links_target_key'), ['target_key'], unique=False)

    op.create_table('wiki_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title_key', sa.String(length=200), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['wiki_pages.id'], name=op.f('fk_wiki_redirects_page_id_wiki_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_wiki_redirects_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_redirects'))
    )
    with op.batch_alter_table('wiki_redirects', schema=None) as batch_op:
        batch_op.create_index('ix_wiki_redirects_space_slug', ['space_id', 'slug'], unique=False)
        batch_op.create_index('ix_wiki_redirects_space_title_key', ['space_id', 'title_key'], unique=False)

    op.create_table('wiki_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_wiki_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['page_id'], ['wiki_pages.id'], name=op.f('fk_wiki_revisions_page_id_wiki_pages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_revisions')),
    sa.UniqueConstraint('page_id', 'number', name=op.f('uq_wiki_revisions_page_id'))
    )
    with op.batch_alter_table('wiki_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_revisions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wiki_revisions_created_at'), ['created_at'], unique=False)

    op.create_table('wiki_watches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['wiki_pages.id'], name=op.f('fk_wiki_watches_page_id_wiki_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_wiki_watches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_watches')),
    sa.UniqueConstraint('page_id', 'user_id', name=op.f('uq_wiki_watches_page_id'))
    )
    with op.batch_alter_table('wiki_watches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_watches_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('wiki_watches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_watches_user_id'))

    op.drop_table('wiki_watches')
    with op.batch_alter_table('wiki_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_revisions_created_at'))
        batch_op.drop_index(batch_op.f('ix_wiki_revisions_author_id'))

    op.drop_table('wiki_revisions')
    with op.batch_alter_table('wiki_redirects', schema=None) as batch_op:
        batch_op.drop_index('ix_wiki_redirects_space_title_key')
        batch_op.drop_index('ix_wiki_redirects_space_slug')

    op.drop_table('wiki_redirects')
    with op.batch_alter_table('wiki_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_links_target_key'))
        batch_op.drop_index(batch_op.f('ix_wiki_links_target_id'))
        batch_op.drop_index(batch_op.f('ix_wiki_links_source_id'))

    op.drop_table('wiki_links')
    with op.batch_alter_table('wiki_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_attachments_page_id'))

    op.drop_table('wiki_attachments')
    with op.batch_alter_table('wiki_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_pages_updated_at'))
        batch_op.drop_index('ix_wiki_pages_space_title_key')
        batch_op.drop_index('ix_wiki_pages_space_slug')
        batch_op.drop_index(batch_op.f('ix_wiki_pages_parent_id'))
        batch_op.drop_index(batch_op.f('ix_wiki_pages_owner_id'))

    op.drop_table('wiki_pages')
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploads_uploader_id'))
        batch_op.drop_index(batch_op.f('ix_uploads_sha256'))

    op.drop_table('uploads')
