"""The home page: what concerns the signed-in colleague, gathered block by block from each
tool's own service. Every block is one bounded query (or a few), whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from app.accounts import service as accounts
from app.accounts.models import User
from app.blog import service as blog
from app.confirmations import service as confirmations
from app.inputs import id_or_none
from app.social import service as social
from app.spaces import policy
from app.spaces import service as spaces
from app.wiki import listings as wiki

BLOCK_SIZE = 5
NEW_COLLEAGUE_DAYS = 30
NEW_COLLEAGUES = 6


@dataclass
class Home:
    """The blocks of one person's home page. ``announcements`` and ``stream`` stay empty
    while the microblog is not installed."""

    announcements: list = field(default_factory=list)
    stream: list = field(default_factory=list)
    read_reminders: list = field(default_factory=list)
    followed_posts: list = field(default_factory=list)
    changed_pages: list = field(default_factory=list)
    open_questions: list = field(default_factory=list)
    outdated_pages: list = field(default_factory=list)
    outdated_total: int = 0
    new_colleagues: list = field(default_factory=list)
    my_spaces: list = field(default_factory=list)
    # Spaces whose insights ``actor`` sees (the ones they own), and whether they see the
    # organisation's insights and keep the guidelines (administrators).
    insight_space_ids: set = field(default_factory=set)
    is_admin: bool = False
    has_microblog: bool = False


def gather(actor: User) -> Home:
    """Everything the home page of ``actor`` shows."""
    home = Home()
    _microblog_blocks(actor, home)
    home.read_reminders = confirmations.pending_for(actor)
    followed = [i for key in social.follows_of(actor, "blog") if (i := id_or_none(key))]
    home.followed_posts = blog.latest_posts_in(actor, followed, BLOCK_SIZE)
    home.changed_pages = wiki.changed_near(actor, limit=BLOCK_SIZE)
    home.open_questions = _open_questions(actor)
    outdated = wiki.outdated_pages(actor)
    home.outdated_pages, home.outdated_total = outdated[:BLOCK_SIZE], len(outdated)
    home.new_colleagues = accounts.new_colleagues(
        actor, days=NEW_COLLEAGUE_DAYS, limit=NEW_COLLEAGUES
    )
    home.my_spaces = spaces.spaces_of(actor, actor)
    home.insight_space_ids = policy.owned_space_ids(actor)
    home.is_admin = policy.can_see_insights(actor, None)
    return home


def _open_questions(actor: User) -> list:
    """Unanswered questions on posts ``actor`` answers for, with their posts."""
    post_ids = blog.answerable_post_ids(actor)
    questions = social.unanswered_questions(actor, "blog_post", post_ids)[:BLOCK_SIZE]
    posts = {post.id: post for post in blog.posts_by_ids(actor, [q.target_id for q in questions])}
    return [(q, posts[q.target_id]) for q in questions if q.target_id in posts]


def _microblog_blocks(actor: User, home: Home) -> None:
    """Pinned announcements and the Following stream, once the microblog is installed."""
    if "microblog" not in current_app.blueprints:
        return
    from app.microblog import streams

    home.has_microblog = True
    following = streams.stream_page(actor, streams.Stream("following"), limit=BLOCK_SIZE)
    home.announcements = following.pinned[:BLOCK_SIZE]
    home.stream = following.posts
