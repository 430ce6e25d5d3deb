"""How profiles become search documents, and the profile evidence of the expertise finder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, inspect, select

from app.accounts.models import User
from app.extensions import db
from app.markup import plain_text
from app.profiles.models import (
    Endorsement,
    Language,
    Profile,
    Skill,
    SkillAlias,
    Training,
    UserSkill,
)
from app.profiles.service import PersonProfile, load_people
from app.search.documents import SearchDocument
from app.spaces import policy
from app.urls import path_for

SNIPPET_LENGTH = 300
BATCH = 200

# A profile document is keyed by its person ("profile:<user id>"), so the index loads a
# User; these rows change their person's document (the search outbox queues it).
MODEL = User


# The parts of an account its profile document shows (a sign-in or new password is none).
USER_FIELDS_SHOWN = ("username", "display_name", "email", "active")


def _person_key(row) -> list[str]:
    return [f"profile:{row.user_id}"]


def _account_key(user: User) -> list[str]:
    state = inspect(user)
    if state.pending or not state.has_identity or state.deleted or state.was_deleted:
        return [f"profile:{user.id}"]
    shown = any(state.attrs[name].history.has_changes() for name in USER_FIELDS_SHOWN)
    return [f"profile:{user.id}"] if shown else []


CHANGES = {
    User: _account_key,
    Profile: _person_key,
    UserSkill: _person_key,
    Endorsement: _person_key,
    Training: _person_key,
    Language: _person_key,
}


def document_for(obj: Profile | User) -> SearchDocument | None:
    """The search document of a profile (or of a user who never edited theirs)."""
    user = obj.user if isinstance(obj, Profile) else obj
    if user is None:
        return None
    return _document(load_people([user])[user.id])


def all_documents() -> Iterator[SearchDocument]:
    """One document per colleague, active or former, in batches of a fixed number of queries."""
    last_id = 0
    while True:
        users = list(
            db.session.scalars(select(User).where(User.id > last_id).order_by(User.id).limit(BATCH))
        )
        if not users:
            return
        people = load_people(users)
        for user in users:
            yield _document(people[user.id])
        last_id = users[-1].id


def _document(person: PersonProfile) -> SearchDocument:
    user = person.user
    # Level words ("Vergaberecht (Experte)") in the organisation's language, whoever's
    # request caused the indexing.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        skills = [f"{held.skill.name} ({held.level_name})" for held in person.skills]
    parts = [
        person.job_title,
        plain_text(person.about_html) if person.about_html else "",
        " · ".join(skills),
        person.ask_me_about,
        " · ".join(training.title for training in person.trainings),
        " · ".join(person.projects),
    ]
    body = "\n".join(part for part in parts if part)
    profile = person.profile
    created = profile.created_at if profile else user.created_at
    updated = profile.updated_at if profile else user.created_at
    return SearchDocument(
        key=f"profile:{user.id}",
        kind=Profile.search_kind,
        title=user.display_name,
        body=body,
        tags=tuple(held.skill.key for held in person.skills),
        people=(user.id,),
        space=None,
        acl=policy.profile_acl(user),
        created=created,
        updated=updated,
        url=path_for("profiles.show_profile", username=user.username),
        snippet=body[:SNIPPET_LENGTH],
        author=user.id,
    )


def skill_synonyms() -> list[list[str]]:
    """Each merged skill with the names merged into it: the search's thesaurus asks for
    all of them when one is typed."""
    groups: dict[int, list[str]] = {}
    for skill_id, name, alias in db.session.execute(
        select(Skill.id, Skill.name, SkillAlias.name).join(
            SkillAlias, SkillAlias.skill_id == Skill.id
        )
    ):
        groups.setdefault(skill_id, [name]).append(alias)
    return list(groups.values())


@dataclass(frozen=True, slots=True)
class ProfileEvidence:
    skills: tuple[tuple[str, int, int], ...]  # (name, level, endorsements), best first
    trainings: tuple[str, ...]
    projects: tuple[str, ...]
    ask_me_about: str
    url: str  # the person's profile page


def profile_evidence(user_ids: Iterable[int]) -> dict[int, ProfileEvidence]:
    """What each person's profile says about their expertise, for every existing user among
    ``user_ids``: three queries however many. The expertise finder picks the parts that
    match its query."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    endorsements = (
        select(func.count(Endorsement.id))
        .where(Endorsement.user_id == UserSkill.user_id, Endorsement.skill_id == UserSkill.skill_id)
        .scalar_subquery()
    )
    skills: dict[int, list[tuple[str, int, int]]] = {user_id: [] for user_id in ids}
    for user_id, name, level, count in db.session.execute(
        select(UserSkill.user_id, Skill.name, UserSkill.level, endorsements)
        .join(Skill, Skill.id == UserSkill.skill_id)
        .where(UserSkill.user_id.in_(ids))
        .order_by(UserSkill.level.desc(), endorsements.desc(), Skill.key)
    ):
        skills[user_id].append((name, level, count))
    trainings: dict[int, list[str]] = {user_id: [] for user_id in ids}
    for user_id, title in db.session.execute(
        select(Training.user_id, Training.title)
        .where(Training.user_id.in_(ids))
        .order_by(Training.completed_on.desc(), Training.id)
    ):
        trainings[user_id].append(title)
    evidence = {}
    for user_id, username, projects_text, ask_me_about in db.session.execute(
        select(User.id, User.username, Profile.projects_text, Profile.ask_me_about)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id.in_(ids))
    ):
        evidence[user_id] = ProfileEvidence(
            skills=tuple(skills[user_id]),
            trainings=tuple(trainings[user_id]),
            projects=tuple(line for line in (projects_text or "").splitlines() if line),
            ask_me_about=ask_me_about or "",
            url=path_for("profiles.show_profile", username=username),
        )
    return evidence
