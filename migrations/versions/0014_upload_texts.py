"""upload texts: the text of attached documents, read in the background for search

Files already attached to wiki pages and stream posts wait to be read, like new ones.

Revision ID: 0014_upload_texts
Revises: 0013_look
Create Date: 2026-12-07 01:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_upload_texts'
down_revision = '0014_stream_answers'
branch_labels = None
depends_on = None

# The file types whose text is read (app.uploads.extraction.EXTRACTABLE, as of this change).
EXTRACTABLE = ('pdf', 'docx', 'odt', 'txt', 'csv')


def upgrade():
    op.create_table('upload_texts',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=40), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('extracted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_upload_texts_upload_id_uploads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('upload_id', name=op.f('pk_upload_texts'))
    )
    with op.batch_alter_table('upload_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_texts_status'), ['status'], unique=False)

    uploads = sa.table('uploads', sa.column('id', sa.Integer), sa.column('original_filename', sa.String))
    wiki = sa.table('wiki_attachments', sa.column('upload_id', sa.Integer))
    stream = sa.table('micropost_attachments', sa.column('upload_id', sa.Integer))
    texts = sa.table(
        'upload_texts',
        sa.column('upload_id', sa.Integer),
        sa.column('status', sa.String),
        sa.column('text', sa.Text),
        sa.column('note', sa.String),
        sa.column('requested_at', sa.DateTime),
    )
    attached = sa.union(sa.select(wiki.c.upload_id), sa.select(stream.c.upload_id)).subquery()
    name = sa.func.lower(uploads.c.original_filename)
    waiting = sa.select(
        uploads.c.id,
        sa.literal('pending'),
        sa.literal(''),
        sa.literal(''),
        sa.func.current_timestamp(),
    ).where(
        uploads.c.id.in_(sa.select(attached.c.upload_id)),
        sa.or_(*[name.like(f'%.{extension}') for extension in EXTRACTABLE]),
    )
    op.execute(
        texts.insert().from_select(['upload_id', 'status', 'text', 'note', 'requested_at'], waiting)
    )


def downgrade():
    with op.batch_alter_table('upload_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_texts_status'))

    op.drop_table('upload_texts')
