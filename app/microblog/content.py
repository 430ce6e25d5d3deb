"""What the microblog declares in the registry of content kinds: stream posts, and the
home page's blocks."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from app.content import ContentKind, Registry
from app.markup import excerpt
from app.microblog import privacy, search, service, streams
from app.microblog.models import Micropost, PostAttachment
from app.spaces import policy
from app.urls import path_for

TITLE_WORDS = 80


def declare(registry: Registry) -> None:
    registry.declare(
        ContentKind(
            name="micropost",
            model=Micropost,
            get=service.get_post,
            readable=lambda actor: policy.readable(actor, Micropost),
            title=lambda post: excerpt(post.body_html or "", TITLE_WORDS),
            url=lambda post: path_for("microblog.show_post", post_id=post.id),
            label="stream",
            search_kind=Micropost.search_kind,
            search=search,
            commentable=True,
            likeable=True,
            counted=True,
            confirmable=lambda post: post.is_pinned,
        )
    )
    # The text of documents attached to posts is found by search under the post.
    registry.declare(
        ContentKind(
            name="micropost_file",
            model=PostAttachment,
            get=service.get_file,
            readable=service.readable_files,
            title=lambda attachment: attachment.upload.original_filename,
            url=search.file_url,
            search_kind=PostAttachment.search_kind,
            search=search.FILES,
        )
    )
    registry.attached_keys.append(_file_keys)
    registry.add_privacy("microblog", privacy)
    registry.offer("home.stream", streams.home_stream)
    registry.offer("knowledge.thread", service.thread)
    registry.offer("home.has_posted", service.has_posted)


def _file_keys(kind: str, ids: Collection[int]) -> Iterable[str]:
    """A post's attached files follow it when it is removed or its space closes."""
    return search.FILES.keys_of_items(ids) if kind == "micropost" else ()
