"""First steps: the short checklist on a new colleague's home, until every step is done."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.content import registry
from app.social import service as social
from app.spaces import service as spaces
from app.spaces.models import SpaceKind


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    url: str
    done: bool


def first_steps(actor: User) -> list[Step]:
    """The steps of the checklist, or [] once all are done (then the block disappears).

    Each step is checked from what the colleague did, never from a stored tick, so a step
    undone later (the photo removed) shows again while others remain open."""
    tools = current_app.blueprints
    offered = registry()
    steps = []
    if shows_photo_and_skills := offered.service("home.shows_photo_and_skills"):
        steps.append(
            Step(
                _l("Add a photo and your skills to your profile"),
                url_for("profiles.edit_profile", username=actor.username),
                shows_photo_and_skills(actor),
            )
        )
    joined = any(s.kind != SpaceKind.DEPARTMENT for s in spaces.spaces_of(actor, actor))
    spaces_url = url_for("spaces.list_spaces")
    steps.append(Step(_l("Join a project or community space"), spaces_url, joined))
    follows = social.follows_of(actor, "blog") or social.follows_of(actor, "tag")
    target = url_for("blog.index") if "blog" in tools else url_for("home.index")
    steps.append(Step(_l("Follow a blog or a tag"), target, bool(follows)))
    if has_posted := offered.service("home.has_posted"):
        steps.append(
            Step(
                _l("Write your first post in the stream"),
                url_for("microblog.stream", tab="all") + "#compose-new",
                has_posted(actor),
            )
        )
    return [] if all(step.done for step in steps) else steps
