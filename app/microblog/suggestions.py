"""Who to suggest after "@": colleagues by name, and by the skills on their profiles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.content import registry
from app.extensions import db

SUGGESTION_LIMIT = 8


@dataclass(frozen=True, slots=True)
class Suggestion:
    username: str
    display_name: str
    skill: str | None = None  # why they are suggested, when it is not their name


def mention_suggestions(prefix: str, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """Active colleagues whose username or name starts with ``prefix``, then those who list
    a skill starting with it."""
    prefix = prefix.strip().lstrip("@").lower()
    if not prefix:
        return []
    pattern = _like_prefix(prefix)
    query = (
        select(User)
        .where(
            User.active,
            or_(
                User.username.like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
                # "weber" finds Jonas Weber: any word of the name.
                func.lower(User.display_name).like("% " + pattern, escape="\\"),
            ),
        )
        .order_by(User.display_name)
        .limit(limit)
    )
    found = [Suggestion(user.username, user.display_name) for user in db.session.scalars(query)]
    seen = {suggestion.username for suggestion in found}
    # The profiles tool, when installed, finds people by the skills they list.
    by_skill = registry().service("mentions.people_with_skill")
    for user, skill in by_skill(prefix, limit) if by_skill else ():
        if len(found) >= limit:
            break
        if user.username not in seen and user.active:
            found.append(Suggestion(user.username, user.display_name, skill))
            seen.add(user.username)
    return found


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
