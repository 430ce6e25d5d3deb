"""The test-only profiles tool: `app.profiles.search`'s contract over `MemoProfile`."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from sqlalchemy import select

from app.extensions import db
from app.search.documents import SearchDocument
from tests.search_memo import MemoProfile

MODEL = MemoProfile


def document_for(profile: MemoProfile) -> SearchDocument:
    parts = [name for name, _level, _count in profile.skill_list()]
    parts += [profile.trainings, profile.projects, profile.ask_me_about]
    return SearchDocument(
        key=f"profile:{profile.id}",
        kind="profile",
        title=f"Profile {profile.id}",
        body="\n".join(part.replace(";", "\n") for part in parts if part),
        tags=(),
        people=(profile.id,),
        space=None,
        acl=("all",),
        created=profile.updated_at,
        updated=profile.updated_at,
        url=f"/people/{profile.id}",
        author=profile.id,
    )


def all_documents() -> Iterator[SearchDocument]:
    for profile in db.session.scalars(select(MemoProfile).order_by(MemoProfile.id)):
        yield document_for(profile)


def profile_evidence(user_ids) -> dict:
    profiles = db.session.scalars(select(MemoProfile).where(MemoProfile.id.in_(user_ids)))
    return {
        profile.id: SimpleNamespace(
            skills=tuple(profile.skill_list()),
            trainings=tuple(t for t in profile.trainings.split(";") if t),
            projects=tuple(p for p in profile.projects.split(";") if p),
            ask_me_about=profile.ask_me_about,
            url=f"/people/{profile.id}",
        )
        for profile in profiles
    }
