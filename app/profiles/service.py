"""Profiles: reading (many at once), editing, avatars and certificates. With ``vocabulary``
(skills) and ``endorsements``, the only code that writes the profile tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.accounts import service as accounts
from app.accounts.models import User
from app.clock import utcnow
from app.errors import DomainError, Forbidden, Invalid, NotFound
from app.extensions import db
from app.markup import render_markdown
from app.profiles.certificates import certificate_path, store_certificate, stored_type
from app.profiles.levels import LANGUAGE_CODES, skill_level_name
from app.profiles.models import (
    LANGUAGE_LEVELS,
    MAX_SKILL_LEVEL,
    MIN_SKILL_LEVEL,
    Endorsement,
    Language,
    Profile,
    Skill,
    Training,
    UserSkill,
)
from app.profiles.vocabulary import (
    clean_skill_name,
    find_or_add_skill,
    skill_name_problem,
)
from app.social.links import ContentLinks
from app.spaces import policy
from app.spaces.models import Space, SpaceKind

MAX_JOB_TITLE = 120
MAX_LOCATION = 120
MAX_PHONE = 60
MAX_ABOUT = 10_000
MAX_ASK_ME_ABOUT = 500
MAX_SKILLS = 50
MAX_LANGUAGES = 20
MAX_TRAININGS = 50
MAX_TRAINING_TEXT = 200
MAX_PROJECTS = 20
MAX_PROJECT = 200


@dataclass(frozen=True, slots=True)
class SkillEntry:
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class LanguageEntry:
    code: str
    level: str


@dataclass(frozen=True, slots=True)
class TrainingEntry:
    title: str
    provider: str = ""
    completed_on: date | None = None


@dataclass(frozen=True, slots=True)
class ProfileEdit:
    """A change to a profile; None leaves a field as it is (``department_id`` 0 clears it)."""

    display_name: str | None = None
    email: str | None = None
    job_title: str | None = None
    department_id: int | None = None
    location: str | None = None
    phone: str | None = None
    about: str | None = None
    ask_me_about: str | None = None
    skills: tuple[SkillEntry, ...] | None = None
    languages: tuple[LanguageEntry, ...] | None = None
    trainings: tuple[TrainingEntry, ...] | None = None
    projects: tuple[str, ...] | None = None


@dataclass(slots=True)
class HeldSkill:
    skill: Skill
    level: int
    endorsers: list[User] = field(default_factory=list)

    @property
    def level_name(self) -> str:
        return skill_level_name(self.level)

    @property
    def endorsement_count(self) -> int:
        return len(self.endorsers)


@dataclass(slots=True)
class PersonProfile:
    """Everything a profile shows, loaded for many people in a fixed number of queries."""

    user: User
    profile: Profile | None
    skills: list[HeldSkill] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)

    def _text(self, name: str) -> str:
        return getattr(self.profile, name) if self.profile else ""

    @property
    def job_title(self) -> str:
        return self._text("job_title")

    @property
    def location(self) -> str:
        return self._text("location")

    @property
    def phone(self) -> str:
        return self._text("phone")

    @property
    def about(self) -> str:
        return self._text("about")

    @property
    def about_html(self) -> str:
        return self._text("about_html")

    @property
    def ask_me_about(self) -> str:
        return self._text("ask_me_about")

    @property
    def projects(self) -> list[str]:
        return self.profile.projects if self.profile else []

    @property
    def department(self) -> Space | None:
        return self.profile.department if self.profile else None

    @property
    def avatar_hash(self) -> str | None:
        return self.profile.avatar_hash if self.profile else None

    @property
    def initials(self) -> str:
        return self.user.initials


# What makes a profile complete, and how the hint names what is missing.
COMPLETENESS_PARTS = (
    ("job_title", _l("your job title")),
    ("department", _l("your department")),
    ("location", _l("your room or location")),
    ("phone", _l("your phone number")),
    ("about", _l("a few words about you")),
    ("ask_me_about", _l("what colleagues may ask you about")),
    ("avatar_hash", _l("a photo")),
    ("skills", _l("your skills")),
    ("languages", _l("your languages")),
)


@dataclass(frozen=True, slots=True)
class Completeness:
    percent: int
    missing: tuple[str, ...]


def completeness(person: PersonProfile) -> Completeness:
    missing = [str(label) for name, label in COMPLETENESS_PARTS if not getattr(person, name)]
    done = len(COMPLETENESS_PARTS) - len(missing)
    return Completeness(round(100 * done / len(COMPLETENESS_PARTS)), tuple(missing))


# --- reading ------------------------------------------------------------------------------


def get_person(actor: User, username: str) -> PersonProfile:
    """The profile of ``username`` (an empty one if never edited). Raises NotFound."""
    user = accounts.get_user_by_username(actor, username)
    if not policy.can_read_profile(actor, user):
        raise NotFound(_("No such person."))
    return load_people([user])[user.id]


def load_people(users: list[User]) -> dict[int, PersonProfile]:
    """Profiles of ``users`` with skills, endorsers, languages and trainings: five queries
    however many people."""
    people = {user.id: PersonProfile(user=user, profile=None) for user in users}
    if not people:
        return people
    ids = list(people)
    for profile in db.session.scalars(
        select(Profile).where(Profile.user_id.in_(ids)).options(selectinload(Profile.department))
    ):
        people[profile.user_id].profile = profile
    held: dict[tuple[int, int], HeldSkill] = {}
    for user_skill in db.session.scalars(
        select(UserSkill)
        .join(Skill)
        .where(UserSkill.user_id.in_(ids))
        .options(selectinload(UserSkill.skill))
        .order_by(UserSkill.level.desc(), Skill.key)
    ):
        entry = HeldSkill(skill=user_skill.skill, level=user_skill.level)
        held[(user_skill.user_id, user_skill.skill_id)] = entry
        people[user_skill.user_id].skills.append(entry)
    for endorsement in db.session.scalars(
        select(Endorsement)
        .join(User, User.id == Endorsement.endorser_id)
        .where(Endorsement.user_id.in_(ids))
        .options(selectinload(Endorsement.endorser))
        .order_by(User.display_name)
    ):
        entry = held.get((endorsement.user_id, endorsement.skill_id))
        if entry is not None:
            entry.endorsers.append(endorsement.endorser)
    for person in people.values():
        person.skills.sort(key=lambda s: (-s.level, -s.endorsement_count, s.skill.key))
    for language in db.session.scalars(
        select(Language).where(Language.user_id.in_(ids)).order_by(Language.id)
    ):
        people[language.user_id].languages.append(language)
    for training in db.session.scalars(
        select(Training)
        .where(Training.user_id.in_(ids))
        .order_by(Training.completed_on.desc(), Training.id)
    ):
        people[training.user_id].trainings.append(training)
    return people


def photo_hash(user: User) -> str | None:
    """The hash of ``user``'s photo, or None when they show their initials."""
    return db.session.scalar(select(Profile.avatar_hash).where(Profile.user_id == user.id))


def photo_hashes(user_ids: set[int]) -> dict[int, str | None]:
    """Photo hash (or None) for each of ``user_ids``, in one query."""
    found = dict(
        db.session.execute(
            select(Profile.user_id, Profile.avatar_hash).where(
                Profile.user_id.in_(user_ids), Profile.avatar_hash.is_not(None)
            )
        ).all()
    )
    return {user_id: found.get(user_id) for user_id in user_ids}


def has_photo_and_skills(user: User) -> bool:
    """Whether ``user`` shows a photo and lists at least one skill (the first-use checklist)."""
    has_photo = photo_hash(user) is not None
    return (
        has_photo
        and db.session.scalar(select(UserSkill.id).where(UserSkill.user_id == user.id).limit(1))
        is not None
    )


def ensure_profile(user: User) -> Profile:
    """``user``'s profile row, added (not committed) when they have none yet."""
    profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    if profile is None:
        profile = Profile(
            user=user,
            job_title="",
            location="",
            phone="",
            about="",
            about_html="",
            ask_me_about="",
            projects_text="",
        )
        db.session.add(profile)
    return profile


# --- editing ------------------------------------------------------------------------------


def update_profile(actor: User, person: User, edit: ProfileEdit) -> Profile:
    """Save ``edit`` to ``person``'s profile in one commit. Raises Forbidden or Invalid
    (field errors keyed by the names of ``ProfileEdit``)."""
    if not policy.can_edit_profile(actor, person):
        raise Forbidden(_("You may not edit this profile."))
    errors = _edit_problems(actor, edit)
    try:
        accounts.update_identity(actor, person, display_name=edit.display_name, email=edit.email)
    except DomainError as err:
        errors.update(err.errors)
    if errors:
        db.session.rollback()
        raise Invalid(_("The profile could not be saved."), errors)
    profile = ensure_profile(person)
    # Skills, languages and trainings live in their own tables: touching the profile row
    # tells the search outbox that this person's document changed.
    profile.updated_at = utcnow()
    for name in ("job_title", "location", "phone", "ask_me_about"):
        value = getattr(edit, name)
        if value is not None:
            setattr(profile, name, " ".join(value.split()))
    if edit.department_id is not None:
        profile.department_id = edit.department_id or None
    if edit.about is not None:
        profile.about = edit.about.strip()
        about = render_markdown(profile.about, ContentLinks()) if profile.about else None
        profile.about_html = about.html if about else ""
    if edit.projects is not None:
        profile.projects_text = "\n".join(_clean_lines(edit.projects))
    if edit.skills is not None:
        _replace_skills(person, edit.skills)
    if edit.languages is not None:
        _replace_languages(person, edit.languages)
    if edit.trainings is not None:
        _replace_trainings(person, edit.trainings)
    db.session.commit()
    return profile


def _edit_problems(actor: User, edit: ProfileEdit) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def too_long(name: str, value: str | None, maximum: int) -> None:
        if value is not None and len(value.strip()) > maximum:
            errors[name] = [_("Use at most %(max)d characters.", max=maximum)]

    too_long("job_title", edit.job_title, MAX_JOB_TITLE)
    too_long("location", edit.location, MAX_LOCATION)
    too_long("phone", edit.phone, MAX_PHONE)
    too_long("about", edit.about, MAX_ABOUT)
    too_long("ask_me_about", edit.ask_me_about, MAX_ASK_ME_ABOUT)
    if edit.department_id:
        department = db.session.get(Space, edit.department_id)
        if (
            department is None
            or department.kind != SpaceKind.DEPARTMENT
            or not policy.can_read_space(actor, department)
        ):
            errors["department_id"] = [_("Choose one of the departments.")]
    if edit.skills is not None and (problems := _skill_problems(edit.skills)):
        errors["skills"] = problems
    if edit.languages is not None and (problems := _language_problems(edit.languages)):
        errors["languages"] = problems
    if edit.trainings is not None and (problems := _training_problems(edit.trainings)):
        errors["trainings"] = problems
    if edit.projects is not None:
        projects = _clean_lines(edit.projects)
        if len(projects) > MAX_PROJECTS or any(len(p) > MAX_PROJECT for p in projects):
            errors["projects"] = [
                _(
                    "List at most %(count)d projects of at most %(max)d characters each.",
                    count=MAX_PROJECTS,
                    max=MAX_PROJECT,
                )
            ]
    return errors


def _skill_problems(skills: tuple[SkillEntry, ...]) -> list[str]:
    problems = []
    if len(skills) > MAX_SKILLS:
        problems.append(_("List at most %(max)d skills.", max=MAX_SKILLS))
    for entry in skills:
        name = clean_skill_name(entry.name)
        if problem := skill_name_problem(name):
            problems.append(f"{name[:40]}: {problem}" if name else problem)
        if (
            not isinstance(entry.level, int)
            or not MIN_SKILL_LEVEL <= entry.level <= MAX_SKILL_LEVEL
        ):
            problems.append(
                _(
                    "Choose a level from %(min)d to %(max)d.",
                    min=MIN_SKILL_LEVEL,
                    max=MAX_SKILL_LEVEL,
                )
            )
    return problems


def _language_problems(languages: tuple[LanguageEntry, ...]) -> list[str]:
    problems = []
    if len(languages) > MAX_LANGUAGES:
        problems.append(_("List at most %(max)d languages.", max=MAX_LANGUAGES))
    for entry in languages:
        if entry.code.strip().lower() not in LANGUAGE_CODES:
            problems.append(_("Unknown language code: %(code)s", code=entry.code[:20]))
        if entry.level not in LANGUAGE_LEVELS:
            problems.append(
                _(
                    "Unknown language level: %(level)s (use A1 to C2 or native)",
                    level=entry.level[:20],
                )
            )
    return problems


def _training_problems(trainings: tuple[TrainingEntry, ...]) -> list[str]:
    problems = []
    if len(trainings) > MAX_TRAININGS:
        problems.append(_("List at most %(max)d trainings.", max=MAX_TRAININGS))
    for entry in trainings:
        title = " ".join(entry.title.split())
        if not title or len(title) > MAX_TRAINING_TEXT or len(entry.provider) > MAX_TRAINING_TEXT:
            problems.append(
                _(
                    "Give each training a title; use at most %(max)d characters.",
                    max=MAX_TRAINING_TEXT,
                )
            )
    return problems


def _replace_skills(person: User, skills: tuple[SkillEntry, ...]) -> None:
    wanted: dict[int, int] = {}
    for entry in skills:
        skill = find_or_add_skill(entry.name)
        wanted[skill.id] = max(wanted.get(skill.id, 0), entry.level)
    held = {
        us.skill_id: us
        for us in db.session.scalars(select(UserSkill).where(UserSkill.user_id == person.id))
    }
    for skill_id, user_skill in held.items():
        if skill_id not in wanted:
            db.session.delete(user_skill)
            db.session.execute(
                delete(Endorsement).where(
                    Endorsement.user_id == person.id, Endorsement.skill_id == skill_id
                )
            )
    for skill_id, level in wanted.items():
        if skill_id in held:
            held[skill_id].level = level
        else:
            db.session.add(UserSkill(user_id=person.id, skill_id=skill_id, level=level))


def _replace_languages(person: User, languages: tuple[LanguageEntry, ...]) -> None:
    levels: dict[str, str] = {}
    for entry in languages:
        code = entry.code.strip().lower()
        current = levels.get(code)
        if current is None or LANGUAGE_LEVELS.index(entry.level) > LANGUAGE_LEVELS.index(current):
            levels[code] = entry.level
    db.session.execute(delete(Language).where(Language.user_id == person.id))
    for code, level in levels.items():
        db.session.add(Language(user_id=person.id, code=code, level=level))


def _replace_trainings(person: User, trainings: tuple[TrainingEntry, ...]) -> None:
    # Certificates stay with a training that keeps its title and provider.
    certificates = {
        (t.title, t.provider): (t.certificate_hash, t.certificate_name)
        for t in db.session.scalars(select(Training).where(Training.user_id == person.id))
    }
    db.session.execute(delete(Training).where(Training.user_id == person.id))
    for entry in trainings:
        title, provider = " ".join(entry.title.split()), " ".join(entry.provider.split())
        certificate_hash, certificate_name = certificates.get((title, provider), (None, None))
        db.session.add(
            Training(
                user_id=person.id,
                title=title,
                provider=provider,
                completed_on=entry.completed_on,
                certificate_hash=certificate_hash,
                certificate_name=certificate_name,
            )
        )


def _clean_lines(lines: tuple[str, ...]) -> list[str]:
    return [" ".join(line.split()) for line in lines if line.strip()]


def set_avatar(actor: User, person: User, avatar_hash: str | None) -> None:
    """Point ``person``'s profile at a stored avatar (None removes it). Raises Forbidden."""
    if not policy.can_edit_profile(actor, person):
        raise Forbidden(_("You may not edit this profile."))
    ensure_profile(person).avatar_hash = avatar_hash
    db.session.commit()


def attach_certificate(
    actor: User, person: User, training_id: int, data: bytes, filename: str
) -> Training:
    """Store a certificate for one of ``person``'s trainings. Raises Forbidden, NotFound,
    TooLarge or Invalid."""
    training = _own_training(actor, person, training_id)
    training.certificate_hash, training.certificate_name = store_certificate(data, filename)
    db.session.commit()
    return training


def remove_certificate(actor: User, person: User, training_id: int) -> None:
    """Detach the certificate (the file stays: another training may share its content)."""
    training = _own_training(actor, person, training_id)
    training.certificate_hash = training.certificate_name = None
    db.session.commit()


def certificate_of(actor: User, person: User, training_id: int) -> tuple[Path, str, str]:
    """(path, content type, file name) of a training's certificate. Raises NotFound, also
    to colleagues who may not see it."""
    training = db.session.get(Training, training_id)
    if (
        training is None
        or training.user_id != person.id
        or not training.certificate_hash
        or not policy.can_see_certificates(actor, person)
    ):
        raise NotFound(_("No such certificate."))
    path = certificate_path(training.certificate_hash)
    if path is None or not path.exists():
        raise NotFound(_("No such certificate."))
    with path.open("rb") as handle:
        kind = stored_type(handle.read(16))
    return path, kind, training.certificate_name or "certificate"


def _own_training(actor: User, person: User, training_id: int) -> Training:
    if not policy.can_edit_profile(actor, person):
        raise Forbidden(_("You may not edit this profile."))
    training = db.session.get(Training, training_id)
    if training is None or training.user_id != person.id:
        raise NotFound(_("No such training."))
    return training
