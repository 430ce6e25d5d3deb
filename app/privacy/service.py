"""Export and erasure of one person's data, across every tool.

Each tool says what it holds about a person in its own ``privacy`` module:
``export(user) -> dict`` (JSON-ready; lists may be iterators), ``erase(user, pseudonym)``
(writes only that tool's tables, never commits) and, where it stores files,
``files(user) -> Iterable[ExportFile]``. The tools add them to the content registry
(``registry.add_privacy``); the factory adds the account's last, as it forgets the name the
others still look for.
"""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from app.accounts.models import User
from app.audit import service as audit
from app.content import registry
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.privacy import archive, files
from app.privacy.pseudonyms import Pseudonym, is_erased
from app.spaces import policy


def contributions() -> list[tuple[str, ModuleType]]:
    """(name of the JSON file in the export and of the files folder, the tool's module)."""
    return registry().privacy


def export_archive(actor: User, user: User) -> IO[bytes]:
    """A ZIP of everything Kollegium holds about ``user``, in a temporary file positioned at
    its start (the caller closes it). Only the person themselves may. Raises Forbidden."""
    if actor.id != user.id:
        raise Forbidden(_("You may only download your own data."))
    handle, zipped = archive.open_archive()
    with zipped:
        for name, module in contributions():
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
        for _name, module in contributions():
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
