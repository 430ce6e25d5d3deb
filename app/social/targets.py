"""What a comment, like or follow points at: "blog_post:12", "wiki_page:3", "comment:4" ….

Each tool offers a reader function ``(actor, id) -> object`` that raises NotFound when the
object is missing or the actor may not read it; this table names them. A tool that is not
installed yet simply has no targets.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.accounts.models import User
from app.errors import Invalid
from app.inputs import parse_target

READERS = {
    "blog_post": "app.blog.service:get_post",
    "wiki_page": "app.wiki.service:get_page",
    "micropost": "app.microblog.service:get_post",
    "comment": "app.social.service:get_comment",
    "blog": "app.blog.service:get_blog",
}
COMMENTABLE = ("blog_post", "wiki_page", "micropost")
LIKEABLE = ("blog_post", "wiki_page", "micropost", "comment")


@dataclass(frozen=True, slots=True)
class Target:
    kind: str
    id: int
    obj: Any

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def space_id(self) -> int | None:
        return getattr(self.obj, "space_id", None)


def parse(raw: str) -> tuple[str, int]:
    """Split "kind:id". Raises Invalid."""
    parsed = parse_target(raw)
    if parsed is None or parsed[0] not in READERS:
        raise Invalid(
            _("Unknown target: %(target)s", target=(raw or "")[:60]),
            {"target": [_("Use kind:id, e.g. blog_post:12.")]},
        )
    return parsed


def resolve(actor: User, raw: str) -> Target:
    """The readable object ``raw`` names. Raises Invalid or NotFound."""
    kind, target_id = parse(raw)
    return Target(kind=kind, id=target_id, obj=_reader(kind)(actor, target_id))


def _reader(kind: str):
    module_name, _sep, function = READERS[kind].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name != module_name and not module_name.startswith(f"{err.name}."):
            raise  # a real import error inside an installed tool
        raise Invalid(
            _("Unknown target: %(target)s", target=kind),
            {"target": [_("This tool is not installed.")]},
        ) from err
    return getattr(module, function)
