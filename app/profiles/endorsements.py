"""Endorsements: a colleague vouches for another's skill, once, and never for their own."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.inputs import id_or_none
from app.profiles.models import Endorsement, Skill, UserSkill
from app.profiles.vocabulary import find_skill
from app.social import notifications
from app.spaces import policy
from app.urls import path_for


def endorse(actor: User, person: User, skill_ref: str) -> Endorsement:
    """Vouch for ``person``'s skill (by name, alias or id). Raises NotFound, Forbidden or
    Conflict (endorsed already)."""
    user_skill = _held_skill(person, skill_ref)
    if actor.id == person.id:
        raise Invalid(
            _("You cannot endorse your own skills."),
            {"skill": [_("You cannot endorse your own skills.")]},
        )
    if not policy.can_endorse(actor, person):
        raise Forbidden(_("You cannot endorse this colleague."))
    exists = db.session.scalar(
        select(Endorsement.id).where(
            Endorsement.endorser_id == actor.id,
            Endorsement.user_id == person.id,
            Endorsement.skill_id == user_skill.skill_id,
        )
    )
    if exists:
        raise Conflict(_("You have endorsed this skill already."))
    endorsement = Endorsement(endorser_id=actor.id, user_id=person.id, skill_id=user_skill.skill_id)
    db.session.add(endorsement)
    db.session.commit()
    notifications.notify(
        [person],
        "endorsement",
        actor=actor,
        subject=None,
        title=user_skill.skill.name,
        url=path_for("profiles.show_profile", username=person.username),
    )
    return endorsement


def withdraw_endorsement(actor: User, person: User, skill_ref: str) -> None:
    """Take back one's endorsement. Raises NotFound."""
    user_skill = _held_skill(person, skill_ref)
    endorsement = db.session.scalar(
        select(Endorsement).where(
            Endorsement.endorser_id == actor.id,
            Endorsement.user_id == person.id,
            Endorsement.skill_id == user_skill.skill_id,
        )
    )
    if endorsement is None:
        raise NotFound(_("You have not endorsed this skill."))
    db.session.delete(endorsement)
    db.session.commit()


def endorsed_skill_ids(actor: User, person: User) -> set[int]:
    """The skills of ``person`` that ``actor`` has endorsed."""
    return set(
        db.session.scalars(
            select(Endorsement.skill_id).where(
                Endorsement.endorser_id == actor.id, Endorsement.user_id == person.id
            )
        )
    )


def _held_skill(person: User, skill_ref: str) -> UserSkill:
    query = select(UserSkill).join(Skill).where(UserSkill.user_id == person.id)
    if (skill_id := id_or_none(skill_ref)) is not None:
        query = query.where(Skill.id == skill_id)
    else:
        skill = find_skill(skill_ref)
        query = query.where(Skill.id == (skill.id if skill else -1))
    user_skill = db.session.scalar(query)
    if user_skill is None:
        raise NotFound(_("%(name)s does not list this skill.", name=person.display_name))
    return user_skill
