from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db


class SpaceKind(enum.StrEnum):
    DEPARTMENT = "department"
    PROJECT = "project"
    COMMUNITY = "community"


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # every signed-in colleague reads it
    MEMBERS = "members"  # only its members do


class Role(enum.StrEnum):
    MEMBER = "member"
    OWNER = "owner"


class Origin(enum.StrEnum):
    MANUAL = "manual"  # joined, or added by an owner or an administrator
    # Placed by the staff directory or the identity provider's claims: it ends when they
    # move the person to another department.
    DIRECTORY = "directory"


def _values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


class Space(db.Model):
    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[SpaceKind] = mapped_column(
        Enum(SpaceKind, native_enum=False, length=20, values_callable=_values)
    )
    visibility: Mapped[Visibility] = mapped_column(
        Enum(Visibility, native_enum=False, length=20, values_callable=_values)
    )
    description: Mapped[str] = mapped_column(Text, default="")
    # Only departments have parents: the organisation chart is a tree.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Space | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Space]] = relationship(back_populates="parent", order_by="Space.name")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="space", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    def __repr__(self) -> str:
        return f"<Space {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("space_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=_values), default=Role.MEMBER
    )
    origin: Mapped[Origin] = mapped_column(
        Enum(Origin, native_enum=False, length=20, values_callable=_values),
        default=Origin.MANUAL,
        server_default=Origin.MANUAL.value,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    space: Mapped[Space] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER
