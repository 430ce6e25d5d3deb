"""Synonyms the administrators add to the built-in thesaurus (`app/search/thesaurus.py`).

One row per group: names that mean the same here ("WZV | Wasserzweckverband"). Only
administrators list, add and remove them (the policy's `can_administer`).
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import User
from app.clock import utcnow
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.spaces import policy

MAX_NAMES = 20
MAX_NAME_CHARS = 100
MAX_GROUPS = 2_000
SEPARATOR = "|"
_SEPARATORS = re.compile(r"[,;|\n]")


class SearchSynonym(db.Model):
    """A group of names the search treats as one (each also finds the others)."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[str] = mapped_column(Text)  # "name|name|…", as entered, cleaned
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def name_list(self) -> list[str]:
        return self.names.split(SEPARATOR)


def parse_names(raw: str) -> list[str]:
    """The names of a group as typed (separated by commas, semicolons, "|" or lines),
    cleaned. Raises Invalid with the reason, on the field "names"."""
    names = [" ".join(part.split()) for part in _SEPARATORS.split(raw or "")]
    names = list(dict.fromkeys(name for name in names if name))
    problem = None
    if len(names) < 2:
        problem = _("Enter at least two names that mean the same, separated by commas.")
    elif len(names) > MAX_NAMES:
        problem = _("Enter at most %(max)d names in one group.", max=MAX_NAMES)
    elif any(len(name) > MAX_NAME_CHARS for name in names):
        problem = _("Use at most %(max)d characters for a name.", max=MAX_NAME_CHARS)
    elif not all(any(char.isalnum() for char in name) for name in names):
        problem = _("Every name needs at least one letter or digit.")
    if problem:
        raise Invalid(problem, {"names": [problem]})
    return names


def _require_admin(actor: User) -> None:
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may change the search's synonyms."))


def list_synonyms(actor: User) -> list[SearchSynonym]:
    """Every group, newest first. Raises Forbidden."""
    _require_admin(actor)
    query = select(SearchSynonym).order_by(SearchSynonym.id.desc())
    return list(db.session.scalars(query))


def add_synonyms(actor: User, raw: str) -> SearchSynonym:
    """Add a group of names. Raises Forbidden or Invalid."""
    _require_admin(actor)
    names = parse_names(raw)
    if db.session.query(SearchSynonym).count() >= MAX_GROUPS:
        message = _("There are %(max)d groups already: remove some first.", max=MAX_GROUPS)
        raise Invalid(message, {"names": [message]})
    group = SearchSynonym(names=SEPARATOR.join(names), created_by_id=actor.id)
    db.session.add(group)
    db.session.commit()
    return group


def remove_synonyms(actor: User, group_id: int) -> None:
    """Remove a group. Raises Forbidden or NotFound."""
    _require_admin(actor)
    group = db.session.get(SearchSynonym, group_id)
    if group is None:
        raise NotFound(_("No such group of synonyms."))
    db.session.delete(group)
    db.session.commit()


def synonym_groups() -> list[list[str]]:
    """Every group's names, for the thesaurus (no permission: queries of anyone use them)."""
    return [row.split(SEPARATOR) for row in db.session.scalars(select(SearchSynonym.names))]
