"""The home page: what concerns the signed-in colleague, gathered block by block from the
services the tools offer in the content registry ("home.<block>"; a block no installed tool
offers stays empty). Every block is one bounded query (or a few), whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.accounts import service as accounts
from app.accounts.models import User
from app.confirmations import service as confirmations
from app.content import registry
from app.inputs import id_or_none
from app.social import service as social
from app.spaces import policy
from app.spaces import service as spaces

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
    offered = registry()
    if stream := offered.service("home.stream"):
        home.has_microblog = True
        home.announcements, home.stream = stream(actor, BLOCK_SIZE)
    home.read_reminders = confirmations.pending_for(actor)
    if followed_posts := offered.service("home.followed_posts"):
        followed = [i for key in social.follows_of(actor, "blog") if (i := id_or_none(key))]
        home.followed_posts = followed_posts(actor, followed, BLOCK_SIZE)
    if changed_pages := offered.service("home.changed_pages"):
        home.changed_pages = changed_pages(actor, limit=BLOCK_SIZE)
    if open_questions := offered.service("home.open_questions"):
        home.open_questions = open_questions(actor, BLOCK_SIZE)
    if outdated_pages := offered.service("home.outdated_pages"):
        outdated = outdated_pages(actor)
        home.outdated_pages, home.outdated_total = outdated[:BLOCK_SIZE], len(outdated)
    home.new_colleagues = accounts.new_colleagues(
        actor, days=NEW_COLLEAGUE_DAYS, limit=NEW_COLLEAGUES
    )
    home.my_spaces = spaces.spaces_of(actor, actor)
    home.insight_space_ids = policy.owned_space_ids(actor)
    home.is_admin = policy.can_see_insights(actor, None)
    return home
