"""What a profile holds about a person: for their export, and for erasure (all of it goes,
photo and certificate files too unless someone else's profile uses the same file)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, func, or_, select

from app.accounts.models import User
from app.extensions import db
from app.privacy import BULK_WRITE
from app.privacy.archive import ExportFile
from app.privacy.files import remove_after_commit
from app.privacy.pseudonyms import Pseudonym
from app.profiles.avatars import AVATAR_SIZES, LARGE, avatar_path
from app.profiles.certificates import certificate_path
from app.profiles.models import Endorsement, Language, Profile, Skill, Training, UserSkill


def _profile(user: User) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def _trainings(user: User) -> list[Training]:
    return list(
        db.session.scalars(
            select(Training).where(Training.user_id == user.id).order_by(Training.id)
        )
    )


def export(user: User) -> dict[str, Any]:
    profile = _profile(user)
    endorsed = (
        select(Endorsement.skill_id, func.count().label("count"))
        .where(Endorsement.user_id == user.id)
        .group_by(Endorsement.skill_id)
        .subquery()
    )
    skills = db.session.execute(
        select(Skill.name, UserSkill.level, func.coalesce(endorsed.c.count, 0))
        .join(UserSkill, UserSkill.skill_id == Skill.id)
        .outerjoin(endorsed, endorsed.c.skill_id == Skill.id)
        .where(UserSkill.user_id == user.id)
        .order_by(Skill.name)
    )
    given = db.session.execute(
        select(User.username, Skill.name, Endorsement.created_at)
        .join(Endorsement, Endorsement.user_id == User.id)
        .join(Skill, Skill.id == Endorsement.skill_id)
        .where(Endorsement.endorser_id == user.id)
        .order_by(Endorsement.created_at)
    )
    languages = db.session.scalars(
        select(Language).where(Language.user_id == user.id).order_by(Language.code)
    )
    return {
        "profile": None
        if profile is None
        else {
            "job_title": profile.job_title,
            "department": profile.department.name if profile.department else None,
            "location": profile.location,
            "phone": profile.phone,
            "about": profile.about,
            "ask_me_about": profile.ask_me_about,
            "projects": profile.projects,
            "has_photo": profile.avatar_hash is not None,
            "updated_at": profile.updated_at,
        },
        # Endorsements received as counts: who endorsed is the endorser's data.
        "skills": [
            {"name": name, "level": level, "endorsements": count} for name, level, count in skills
        ],
        "languages": [{"code": item.code, "level": item.level} for item in languages],
        "trainings": [
            {
                "title": training.title,
                "provider": training.provider,
                "completed_on": training.completed_on,
                "certificate": training.certificate_name,
            }
            for training in _trainings(user)
        ],
        "endorsements_given": [
            {"person": username, "skill": skill, "at": at} for username, skill, at in given
        ],
    }


def files(user: User) -> Iterator[ExportFile]:
    profile = _profile(user)
    if profile is not None and profile.avatar_hash:
        path = avatar_path(profile.avatar_hash, LARGE)
        if path is not None:
            yield ExportFile(name="photo.jpg", path=path)
    for training in _trainings(user):
        path = certificate_path(training.certificate_hash or "")
        if path is not None:
            name = f"certificate-{training.id}-{training.certificate_name or 'file'}"
            yield ExportFile(name=name, path=path)


def erase(user: User, pseudonym: Pseudonym) -> None:
    profile = _profile(user)
    avatar_hash = profile.avatar_hash if profile else None
    certificates = {t.certificate_hash for t in _trainings(user) if t.certificate_hash}
    for model in (UserSkill, Language, Training):
        db.session.execute(
            delete(model).where(model.user_id == user.id), execution_options=BULK_WRITE
        )
    db.session.execute(
        delete(Endorsement).where(
            or_(Endorsement.user_id == user.id, Endorsement.endorser_id == user.id)
        ),
        execution_options=BULK_WRITE,
    )
    if profile is not None:
        db.session.delete(profile)
    db.session.flush()
    _remove_unshared_files(avatar_hash, certificates)
    _rewrite_mentions(pseudonym)


def _remove_unshared_files(avatar_hash: str | None, certificates: set[str]) -> None:
    # Files are stored by content: another person may have uploaded the very same photo.
    if avatar_hash and not db.session.scalar(
        select(func.count()).where(Profile.avatar_hash == avatar_hash)
    ):
        remove_after_commit(
            path for size in AVATAR_SIZES if (path := avatar_path(avatar_hash, size)) is not None
        )
    if certificates:
        shared = set(
            db.session.scalars(
                select(Training.certificate_hash).where(Training.certificate_hash.in_(certificates))
            )
        )
        remove_after_commit(
            path
            for certificate in certificates - shared
            if (path := certificate_path(certificate)) is not None
        )


def _rewrite_mentions(pseudonym: Pseudonym) -> None:
    pattern = f"%{pseudonym.former_username}%"
    others = db.session.scalars(
        select(Profile).where(or_(Profile.about.ilike(pattern), Profile.about_html.ilike(pattern)))
    )
    for profile in others:
        profile.about = pseudonym.rewrite_source(profile.about)
        profile.about_html = pseudonym.rewrite_html(profile.about_html)
