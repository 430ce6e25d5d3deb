"""The registry of content kinds: where the tools meet the rooms they share.

Each tool declares the kinds of content it owns once, in its ``content.py``
(``declare(registry)``), and may offer named services to the add-ons (``registry.offer``).
``create_app`` fills one ``Registry`` per app and keeps it in ``app.extensions["content"]``.
Social, search, privacy, insights, confirmations, knowledge and home ask ``registry()`` and
import no tool; the policy stays below it and knows no tool either.

Anything attached to an item (comments, likes, views, notifications, read requests, FAQ
links) names it by ``kind`` and ``id`` and is readable exactly when the item is: lists join
through ``attached_readable``, single objects go through ``resolve``, both asking the
item's current place, never a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, false, or_, select

from app import pagecache
from app.accounts.models import User
from app.errors import Invalid, NotFound
from app.extensions import db
from app.inputs import parse_target

EXTENSION = "content"


@dataclass(frozen=True, slots=True)
class ContentKind:
    """One kind of content, as its tool declares it.

    ``name`` is the kind in targets ("wiki_page:12"); ``get(actor, id)`` returns the item
    when ``actor`` may read it and raises NotFound otherwise (the tool's service, through
    the policy); ``readable(actor)`` is the same rule as a condition on ``model``;
    ``title``/``url`` name an item in lists of any tool. ``search`` is the tool's search
    module (``document_for``, ``all_documents``, optional ``count`` and ``CHANGES``) for
    documents of ``search_kind``.
    """

    name: str
    model: type
    get: Callable[[User, int], Any]
    readable: Callable[[User], ColumnElement[bool]]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    label: Any = ""
    search_kind: str | None = None
    # A module, or an object offering the same functions (app.uploads.search.AttachedFiles).
    search: ModuleType | Any | None = None
    commentable: bool = False
    likeable: bool = False
    # Counted by insights (views, likes, comments) and named in its tables.
    counted: bool = False
    # May ask its readers to confirm it (None: never); given the item.
    confirmable: Callable[[Any], bool] | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A readable item named by "kind:id"."""

    kind: str
    id: int
    obj: Any

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def space_id(self) -> int | None:
        return getattr(self.obj, "space_id", None)


@dataclass
class Registry:
    kinds: dict[str, ContentKind] = field(default_factory=dict)
    # (name of the export file, the tool's privacy module), in the order erasure runs.
    privacy: list[tuple[str, ModuleType]] = field(default_factory=list)
    # Named services tools offer to add-ons ("home.changed_pages" …); several tools may
    # offer the same name ("insights.contributions").
    services: dict[str, list[Callable[..., Any]]] = field(default_factory=dict)
    # Functions (kind, ids) -> document keys of what is attached to items of that kind.
    attached_keys: list[Callable[[str, Collection[int]], Iterable[str]]] = field(
        default_factory=list
    )

    def declare(self, kind: ContentKind) -> None:
        if kind.name in self.kinds:
            raise ValueError(f"content kind {kind.name!r} declared twice")
        self.kinds[kind.name] = kind

    def add_privacy(self, name: str, module: ModuleType) -> None:
        self.privacy.append((name, module))

    def offer(self, name: str, function: Callable[..., Any]) -> None:
        self.services.setdefault(name, []).append(function)

    def service(self, name: str) -> Callable[..., Any] | None:
        """The service an installed tool offers under ``name``, or None when none does."""
        offered = self.services.get(name)
        return offered[0] if offered else None

    def all_services(self, name: str) -> list[Callable[..., Any]]:
        """Every tool's service offered under ``name``."""
        return list(self.services.get(name, ()))

    def kind(self, name: str) -> ContentKind | None:
        return self.kinds.get(name)

    def where(self, **flags: bool) -> list[ContentKind]:
        """The kinds whose flags (``commentable=True`` …) all hold."""
        return [k for k in self.kinds.values() if all(getattr(k, f) == v for f, v in flags.items())]

    def for_model(self, model: type) -> ContentKind | None:
        for kind in self.kinds.values():
            if kind.model is model:
                return kind
        return None

    def searchable(self) -> dict[str, ContentKind]:
        """Search kind → content kind, for every kind that has search documents."""
        return {k.search_kind: k for k in self.kinds.values() if k.search is not None}


def init_app(app, declarations: Iterable[Callable[[Registry], None]]) -> Registry:
    """Fill the app's registry from the tools' ``declare`` functions, in order."""
    registry = Registry()
    for declare in declarations:
        declare(registry)
    app.extensions[EXTENSION] = registry
    return registry


def registry() -> Registry:
    return current_app.extensions[EXTENSION]


# --- resolving targets ----------------------------------------------------------------------


def parse(raw: str, kinds: Collection[str] | None = None) -> tuple[str, int]:
    """Split "kind:id" naming a declared kind (one of ``kinds`` when given). Raises Invalid."""
    parsed = parse_target(raw)
    allowed = registry().kinds if kinds is None else kinds
    if parsed is None or parsed[0] not in allowed:
        raise Invalid(
            _("Unknown target: %(target)s", target=(raw or "")[:60]),
            {"target": [_("Use kind:id, e.g. blog_post:12.")]},
        )
    return parsed


def resolve(actor: User, raw: str) -> Target:
    """The readable item ``raw`` names. Raises Invalid or NotFound."""
    kind, item_id = parse(raw)
    return Target(kind=kind, id=item_id, obj=registry().kinds[kind].get(actor, item_id))


def readable_target(actor: User, kind: str, item_id: int) -> Any | None:
    """The item when ``actor`` may read it, else None."""
    found = registry().kind(kind)
    if found is None:
        return None
    try:
        return found.get(actor, item_id)
    except NotFound:
        return None


def readable_ids(actor: User, kind: str) -> Any:
    """A select of the ids of the items of ``kind`` that ``actor`` may read."""
    found = registry().kinds[kind]
    return select(found.model.id).where(found.readable(actor))


def attached_readable(
    actor: User, kind_column: Any, id_column: Any, kinds: Collection[str] | None = None
) -> ColumnElement[bool]:
    """Condition on a table that names items by (kind, id): the rows whose item ``actor``
    may read now, wherever it went since the row was written."""
    names = registry().kinds if kinds is None else kinds
    conditions = [
        and_(kind_column == name, id_column.in_(readable_ids(actor, name)))
        for name in names
        if name in registry().kinds
    ]
    return or_(*conditions) if conditions else false()


def load_items(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """The items behind (kind, id) pairs, one query per kind (no permission applied)."""
    by_kind: dict[str, set[int]] = {}
    for kind, item_id in pairs:
        by_kind.setdefault(kind, set()).add(item_id)
    found: dict[tuple[str, int], Any] = {}
    for kind, ids in by_kind.items():
        declared = registry().kind(kind)
        if declared is None:
            continue
        for obj in db.session.scalars(select(declared.model).where(declared.model.id.in_(ids))):
            found[(kind, obj.id)] = obj
    return found


def title_of(kind: str, obj: Any) -> str:
    return registry().kinds[kind].title(obj)


def url_of(kind: str, obj: Any) -> str:
    return registry().kinds[kind].url(obj)


def kind_of(obj: Any) -> ContentKind | None:
    return registry().for_model(type(obj))


# --- what add-ons add to a tool's page ---------------------------------------------------------


def viewed(actor: User, kind: str, obj: Any) -> None:
    """A tool's page showed ``obj`` to ``actor``: the add-ons that count views hear of it
    ("page.viewed" services)."""
    space_id = getattr(obj, "space_id", None)
    count_view(actor, kind, obj.id, space_id)
    pagecache.repeat_when_served(count_view, kind, obj.id, space_id)


def count_view(actor: User, kind: str, item_id: int, space_id: int | None) -> None:
    for count in registry().all_services("page.viewed"):
        count(actor, kind, item_id, space_id)


def panels(actor: User, kind: str, obj: Any, **context: Any) -> dict[str, Any]:
    """The template values the add-ons' panels add to the page of ``obj`` (a read
    confirmation, "make a FAQ page" …): each "page.panels" service returns some, given what
    the page shows (``comments=`` …). Without the add-ons, there are none."""
    values: dict[str, Any] = {}
    for panel in registry().all_services("page.panels"):
        values.update(panel(actor, kind, obj, **context))
    return values


def attached_keys(kind: str, ids: Collection[int]) -> Iterator[str]:
    """The search keys of everything attached to these items (their comments …)."""
    for function in registry().attached_keys:
        yield from function(kind, ids)
