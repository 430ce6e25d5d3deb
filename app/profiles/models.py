"""Tables of profiles: the profile itself, the shared skill vocabulary, what each person
lists (skills, languages, trainings) and who endorsed whom."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.spaces.models import Space


class SkillLevel(enum.IntEnum):
    BASIC = 1
    PRACTICAL = 2
    ADVANCED = 3
    EXPERT = 4


MIN_SKILL_LEVEL = SkillLevel.BASIC
MAX_SKILL_LEVEL = SkillLevel.EXPERT
# CEFR levels from lowest to highest; "native" ranks above C2.
LANGUAGE_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


class Profile(db.Model):
    """What a colleague tells about themselves; created the first time they edit it."""

    __tablename__ = "profiles"
    search_kind = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    job_title: Mapped[str] = mapped_column(String(120), default="")
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    location: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    about: Mapped[str] = mapped_column(Text, default="")
    about_html: Mapped[str] = mapped_column(Text, default="")
    ask_me_about: Mapped[str] = mapped_column(String(500), default="")
    # Free-text projects, one per line (project spaces come from memberships).
    projects_text: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the stored 256 px avatar; the files live in UPLOAD_DIR/avatars.
    avatar_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    department: Mapped[Space | None] = relationship()

    @property
    def projects(self) -> list[str]:
        return [line for line in self.projects_text.splitlines() if line.strip()]


class Skill(db.Model):
    """One entry of the shared vocabulary; ``key`` is the normalised name."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[SkillAlias]] = relationship(
        back_populates="skill", cascade="all, delete-orphan", order_by="SkillAlias.name"
    )


class SkillAlias(db.Model):
    """A name merged into another skill: it still finds that skill."""

    __tablename__ = "skill_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100), unique=True)

    skill: Mapped[Skill] = relationship(back_populates="aliases")


class UserSkill(db.Model):
    __tablename__ = "user_skills"
    __table_args__ = (
        UniqueConstraint("user_id", "skill_id"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column()

    skill: Mapped[Skill] = relationship()


class Endorsement(db.Model):
    """``endorser`` vouches for ``user``'s ``skill``: once, and never for themselves."""

    __tablename__ = "endorsements"
    __table_args__ = (
        UniqueConstraint("endorser_id", "user_id", "skill_id"),
        CheckConstraint("endorser_id <> user_id", name="not_own"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endorser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    endorser: Mapped[User] = relationship(foreign_keys=[endorser_id])


class Language(db.Model):
    __tablename__ = "profile_languages"
    __table_args__ = (UniqueConstraint("user_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(2))  # ISO 639-1
    level: Mapped[str] = mapped_column(String(8))  # one of LANGUAGE_LEVELS


class Training(db.Model):
    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    completed_on: Mapped[date | None]
    # SHA-256 of an uploaded certificate in UPLOAD_DIR/certificates, and its original name.
    certificate_hash: Mapped[str | None] = mapped_column(String(64))
    certificate_name: Mapped[str | None] = mapped_column(String(200))
