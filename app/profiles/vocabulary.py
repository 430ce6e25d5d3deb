"""The shared skill vocabulary: one skill per normalised name, aliases for merged names."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from app.accounts.models import User
from app.clock import utcnow
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.inputs import id_or_none
from app.profiles.models import Endorsement, Profile, Skill, SkillAlias, UserSkill
from app.slugs import slugify
from app.spaces import policy

MAX_SKILL_NAME = 100
MAX_SUGGESTIONS = 10


def clean_skill_name(raw: str) -> str:
    """The name as shown: Unicode NFC, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def skill_key(raw: str) -> str:
    """The normalised name two spellings share: "Vergaberecht" == "vergaberecht "."""
    return unicodedata.normalize("NFC", clean_skill_name(raw).casefold())


def skill_name_problem(name: str) -> str | None:
    """Why ``name`` (already cleaned) cannot be a skill, or None."""
    if not name:
        return _("Enter the name of the skill.")
    if len(name) > MAX_SKILL_NAME:
        return _("Use at most %(max)d characters for a skill.", max=MAX_SKILL_NAME)
    if not any(char.isalnum() for char in name):
        return _("A skill name needs at least one letter or digit.")
    return None


def find_skill(raw: str) -> Skill | None:
    """The skill called ``raw`` or merged from a skill of that name."""
    key = skill_key(raw)
    skill = db.session.scalar(select(Skill).where(Skill.key == key))
    if skill is None:
        skill = db.session.scalar(select(Skill).join(SkillAlias).where(SkillAlias.key == key))
    return skill


def find_or_add_skill(name: str) -> Skill:
    """The vocabulary entry for ``name``, added (not committed) when new. Raises Invalid."""
    name = clean_skill_name(name)
    if problem := skill_name_problem(name):
        raise Invalid(problem, {"skills": [problem]})
    skill = find_skill(name)
    if skill is None:
        skill = Skill(name=name, key=skill_key(name), slug=_unique_slug(name))
        db.session.add(skill)
        db.session.flush()
    return skill


def get_skill(actor: User, ref: str | int) -> Skill:
    """A skill by id or slug. Raises NotFound."""
    skill = None
    if (skill_id := id_or_none(ref)) is not None:
        skill = db.session.get(Skill, skill_id)
    elif isinstance(ref, str):
        skill = db.session.scalar(select(Skill).where(Skill.slug == ref))
    if skill is None or not actor.active:
        raise NotFound(_("No such skill."))
    return skill


def suggest_skills(actor: User, query: str, limit: int = MAX_SUGGESTIONS) -> list[Skill]:
    """Skills whose name or an alias contains ``query``, for autocomplete; names that start
    with it first."""
    key = skill_key(query)
    if not key or not actor.active:
        return []
    pattern = f"%{_escape_like(key)}%"
    matches_alias = select(SkillAlias.skill_id).where(SkillAlias.key.like(pattern, escape="\\"))
    statement = (
        select(Skill)
        .where(or_(Skill.key.like(pattern, escape="\\"), Skill.id.in_(matches_alias)))
        .order_by(Skill.key.not_like(f"{_escape_like(key)}%", escape="\\"), Skill.key)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def all_skill_choices() -> list[tuple[int, str]]:
    return [
        (row.id, row.name)
        for row in db.session.execute(select(Skill.id, Skill.name).order_by(Skill.key))
    ]


def merge_skills(actor: User, source: Skill, target: Skill) -> Skill:
    """Merge ``source`` into ``target``: levels move (the higher one stays), endorsements
    move (without duplicates), and ``source``'s names become aliases. Raises Forbidden or
    Invalid."""
    if not policy.can_merge_skills(actor):
        raise Forbidden(_("Only administrators may merge skills."))
    if source.id == target.id:
        raise Invalid(
            _("A skill cannot be merged into itself."), {"into": [_("Choose another skill.")]}
        )
    # Everyone holding either skill gets a new search document (tags and body change).
    holders = select(UserSkill.user_id).where(UserSkill.skill_id.in_([source.id, target.id]))
    for profile in db.session.scalars(select(Profile).where(Profile.user_id.in_(holders))):
        profile.updated_at = utcnow()
    target_levels = dict(
        db.session.execute(
            select(UserSkill.user_id, UserSkill.level).where(UserSkill.skill_id == target.id)
        ).all()
    )
    for held in db.session.scalars(select(UserSkill).where(UserSkill.skill_id == source.id)):
        if held.user_id in target_levels:
            if held.level > target_levels[held.user_id]:
                db.session.execute(
                    update(UserSkill)
                    .where(UserSkill.user_id == held.user_id, UserSkill.skill_id == target.id)
                    .values(level=held.level)
                )
            db.session.delete(held)
        else:
            held.skill_id = target.id
    existing = set(
        db.session.execute(
            select(Endorsement.endorser_id, Endorsement.user_id).where(
                Endorsement.skill_id == target.id
            )
        ).all()
    )
    for endorsement in db.session.scalars(
        select(Endorsement).where(Endorsement.skill_id == source.id)
    ):
        if (endorsement.endorser_id, endorsement.user_id) in existing:
            db.session.delete(endorsement)
        else:
            endorsement.skill_id = target.id
    db.session.flush()
    names = [(source.name, source.key)] + [(alias.name, alias.key) for alias in source.aliases]
    db.session.execute(delete(SkillAlias).where(SkillAlias.skill_id == source.id))
    db.session.delete(source)
    db.session.flush()
    for name, key in names:
        if key != target.key:
            db.session.add(SkillAlias(skill_id=target.id, name=name, key=key))
    db.session.commit()
    return target


def _unique_slug(name: str) -> str:
    base = slugify(name, fallback="skill")
    if base.isdigit():  # a slug of digits would read as an id
        base = f"skill-{base}"
    slug, number = base, 2
    while db.session.scalar(select(func.count()).where(Skill.slug == slug)):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
