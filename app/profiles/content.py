"""What the profiles declare in the registry: a person's profile as a search document, and
what they offer the stream's @-suggestions and the expertise finder."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import false, true

from app.accounts.models import User
from app.content import ContentKind, Registry
from app.errors import NotFound
from app.extensions import db
from app.profiles import directory, privacy, search, service
from app.spaces import policy
from app.urls import path_for


def get_person(actor: User, user_id: int) -> User:
    """The person whose profile ``actor`` may read. Raises NotFound."""
    person = db.session.get(User, user_id)
    if person is None or not policy.can_read_profile(actor, person):
        raise NotFound(_("No such person."))
    return person


def declare(registry: Registry) -> None:
    registry.declare(
        ContentKind(
            name="profile",
            model=User,
            get=get_person,
            readable=lambda actor: true() if actor.active else false(),
            title=lambda person: person.display_name,
            url=lambda person: path_for("profiles.show_profile", username=person.username),
            search_kind="profile",
            search=search,
        )
    )
    registry.add_privacy("profile", privacy)
    registry.offer("mentions.people_with_skill", directory.people_with_skill)
    registry.offer("home.shows_photo_and_skills", service.has_photo_and_skills)
