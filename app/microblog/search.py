"""How microposts become search documents (the search package indexes them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.markup import excerpt, plain_text
from app.microblog.models import Micropost, PostAttachment
from app.microblog.service import marked_answer
from app.search.documents import SearchDocument
from app.spaces import policy
from app.uploads.search import AttachedFiles
from app.urls import path_for

TITLE_LENGTH = 80
SNIPPET_LENGTH = 200
BATCH_SIZE = 500
# A post that thanks (credit goes to whom it names) or only agrees (credit goes to nobody).
THANKS = re.compile(r"\b(danke|dank|bedanke|thanks|thank you|thx|cheers)\b", re.IGNORECASE)
ME_TOO = re.compile(
    r"^\W*(ich auch|me too|same here|same|geht mir (genau)?so|dito|\+1)\W*$", re.IGNORECASE
)


def _changed_keys(post: Micropost) -> list[str]:
    """A reply changes its own document and its question's (who answered it)."""
    keys = [f"{post.search_kind}:{post.id}"]
    if post.root_id is not None:
        keys.append(f"{post.search_kind}:{post.root_id}")
    return keys


CHANGES = {Micropost: _changed_keys}


def document_for(post: Micropost) -> SearchDocument | None:
    """The document for ``post``; None once it is deleted (drop it from the index)."""
    if post.deleted_at is not None:
        return None
    text = plain_text(post.body_html)
    url = path_for("microblog.show_post", post_id=post.id)
    thanked = _thanked(post, text)
    answer = marked_answer(post)
    # A conversation whose asker marked an answer was a question, whatever its punctuation.
    is_question = asks(post, text) or answer is not None
    return SearchDocument(
        key=f"{post.search_kind}:{post.id}",
        kind=post.search_kind,
        title=excerpt(post.body_html, TITLE_LENGTH),
        body=text,
        tags=tuple(row.tag for row in post.tags),
        people=(post.author_id,),
        space=post.space_id,
        acl=policy.document_acl(post),
        created=post.created_at,
        updated=post.edited_at or post.created_at,
        url=url,
        snippet=excerpt(post.body_html, SNIPPET_LENGTH),
        author=post.author_id,
        # Thanking or agreeing is no expertise of the one who writes it.
        is_question=is_question or bool(thanked) or bool(ME_TOO.match(text)),
        credited=thanked or (answerers(post) if is_question else ()),
        answered_by=answer.author_id if answer is not None else None,
    )


def _thanked(post: Micropost, text: str) -> tuple[int, ...]:
    """The colleagues a thank-you names (@mentions), the author aside."""
    if not THANKS.search(text):
        return ()
    return tuple(m.user_id for m in post.mentions if m.user_id != post.author_id)


def answerers(question: Micropost) -> tuple[int, ...]:
    """Who answered `question` in its conversation: each reply's author but the asker's,
    "me too" and thank-yous aside; and those the asker thanked in it (an answerer thanked is
    named twice)."""
    replies = db.session.scalars(
        select(Micropost)
        .where(Micropost.root_id == question.id, Micropost.deleted_at.is_(None))
        .options(selectinload(Micropost.mentions))
        .order_by(Micropost.id)
    )
    found: list[int] = []
    thanked: list[int] = []
    for reply in replies:
        text = plain_text(reply.body_html)
        if reply.author_id == question.author_id:
            thanked += _thanked(reply, text)
        elif not (ME_TOO.match(text) or _thanked(reply, text)):
            found.append(reply.author_id)
    found = list(dict.fromkeys(found))
    return (*found, *dict.fromkeys(thanked))


def asks(post: Micropost, text: str) -> bool:
    """A post that opens a conversation with a question: asking about a topic is not
    expertise in it (replies, which answer, are)."""
    return post.reply_to_id is None and text.rstrip().endswith("?")


def all_documents() -> Iterator[SearchDocument]:
    """Every post that belongs in the index, for a full reindex."""
    query = (
        select(Micropost)
        .where(Micropost.deleted_at.is_(None))
        .options(selectinload(Micropost.tags), selectinload(Micropost.answer))
        .order_by(Micropost.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    for post in db.session.scalars(query):
        document = document_for(post)
        if document is not None:
            yield document


def file_url(attachment: PostAttachment) -> str:
    return path_for(
        "microblog.show_attachment", post_id=attachment.post_id, attachment_id=attachment.id
    )


# The text of documents attached to posts (kind "file"), found under their post.
FILES = AttachedFiles(
    model=PostAttachment,
    item_id=PostAttachment.post_id,
    item_of=lambda attachment: attachment.post,
    item_document=document_for,
    file_url=file_url,
)
