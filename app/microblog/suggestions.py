"""Who to suggest after "@": colleagues by name, and by the skills on their profiles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.extensions import db
from app.profiles.models import Skill, UserSkill
from app.profiles.vocabulary import skill_key

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
    for user, skill in people_with_skill(prefix, limit):
        if len(found) >= limit:
            break
        if user.username not in seen and user.active:
            found.append(Suggestion(user.username, user.display_name, skill))
            seen.add(user.username)
    return found


def people_with_skill(prefix: str, limit: int) -> list[tuple[User, str]]:
    """Active people who list a skill whose name starts with ``prefix`` (most skilled
    first), with that skill's name; in one query."""
    key = skill_key(prefix)
    if not key:
        return []
    query = (
        select(User, Skill.name)
        .join(UserSkill, UserSkill.user_id == User.id)
        .join(Skill, Skill.id == UserSkill.skill_id)
        .where(User.active, Skill.key.like(_like_prefix(key), escape="\\"))
        .order_by(UserSkill.level.desc(), User.display_name)
        .limit(limit)
    )
    return [(user, name) for user, name in db.session.execute(query)]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
