"""Export and erasure of one person's data, across every tool.

Each tool says what it holds about a person in its own ``privacy`` module:
``export(user) -> dict`` (JSON-ready; lists may be iterators), ``erase(user, pseudonym)``
(writes only that tool's tables, never commits) and, where it stores files,
``files(user) -> Iterable[ExportFile]``. ``CONTRIBUTIONS`` lists them; the account comes
last, as it forgets the name the others still look for.
"""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from app.accounts import privacy as accounts_privacy
from app.accounts.models import User
from app.audit import service as audit
from app.blog import privacy as blog_privacy
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.microblog import privacy as microblog_privacy
from app.privacy import archive, files
from app.privacy.pseudonyms import Pseudonym, is_erased
from app.profiles import privacy as profiles_privacy
from app.social import privacy as social_privacy
from app.spaces import policy
from app.spaces import privacy as spaces_privacy
from app.uploads import privacy as uploads_privacy
from app.wiki import privacy as wiki_privacy

# (name of the JSON file in the export and of the files folder, the tool's module)
CONTRIBUTIONS: tuple[tuple[str, ModuleType], ...] = (
    ("profile", profiles_privacy),
    ("spaces", spaces_privacy),
    ("social", social_privacy),
    ("wiki", wiki_privacy),
    ("blog", blog_privacy),
    ("microblog", microblog_privacy),
    ("uploads", uploads_privacy),
    ("account", accounts_privacy),
)


def export_archive(actor: User, user: User) -> IO[bytes]:
    """A ZIP of everything Kollegium holds about ``user``, in a temporary file positioned at
    its start (the caller closes it). Only the person themselves may. Raises Forbidden."""
    if actor.id != user.id:
        raise Forbidden(_("You may only download your own data."))
    handle, zipped = archive.open_archive()
    with zipped:
        for name, module in CONTRIBUTIONS:
            archive.write_json(zipped, f"{name}.json", module.export(user))
            if hasattr(module, "files"):
                archive.write_files(zipped, name, module.files(user))
    handle.seek(0)
    return handle


def export_filename(user: User, today: date) -> str:
    return f"kollegium-{user.username}-{today.isoformat()}.zip"


def erasure_mode() -> str:
    return current_app.config["ERASURE_MODE"]


def can_be_erased(user: User) -> bool:
    return not user.active and not is_erased(user)


def check_may_erase(actor: User) -> None:
    """Raises Forbidden unless ``actor`` administers Kollegium."""
    if not policy.can_administer(actor):
        raise Forbidden(_("Only administrators may do this."))


def erase_user(actor: User, user: User) -> Pseudonym:
    """Erase a deactivated colleague's personal data; their work stays under a pseudonym (or,
    with ERASURE_MODE ``attribute``, under their display name). Raises Forbidden, or Conflict
    for an active or already erased account."""
    check_may_erase(actor)
    if user.active:
        raise Conflict(_("Deactivate the account before erasing it."))
    if is_erased(user):
        raise Conflict(_("This account has already been erased."))
    mode = erasure_mode()
    pseudonym = Pseudonym.for_user(user, mode)
    try:
        for _name, module in CONTRIBUTIONS:
            module.erase(user, pseudonym)
        # The one place the former name stays: the administrator must be able to prove who.
        audit.record(
            "user_erased",
            actor=actor,
            subject=f"user:{user.id}",
            details={"username": pseudonym.former_username, "mode": mode},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        files.forget_pending()
        raise
    files.remove_pending()
    return pseudonym
