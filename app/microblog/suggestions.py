"""Who to suggest after "@": colleagues by name, and by skill once profiles exist."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.extensions import db

SUGGESTION_LIMIT = 8
# The profiles tool may offer ``people_with_skill(prefix, limit) -> [(User, skill name)]``.
SKILL_FINDER = "app.profiles.service:people_with_skill"


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
    for user, skill in people_with_skill(prefix, limit):
        if len(found) >= limit:
            break
        if user.username not in seen and user.active:
            found.append(Suggestion(user.username, user.display_name, skill))
            seen.add(user.username)
    return found


def people_with_skill(prefix: str, limit: int) -> list[tuple[User, str]]:
    """People who list a skill starting with ``prefix``, through the profiles tool when it
    is installed; nobody otherwise."""
    module_name, _sep, function = SKILL_FINDER.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name is not None and module_name.startswith(err.name):
            return []  # profiles are not installed (yet)
        raise
    finder = getattr(module, function, None)
    return list(finder(prefix, limit)) if finder is not None else []


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
