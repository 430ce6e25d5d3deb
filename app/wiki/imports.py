"""Word and LibreOffice documents become wiki pages: one upload of many files, or a folder
tree from a file share (`flask wiki import`), whose folders become the page tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.errors import DomainError, TooLarge
from app.extensions import db
from app.uploads.store import clean_filename
from app.wiki import service
from app.wiki.conversion import IMAGE_PLACEHOLDER, IMPORTABLE, convert_document
from app.wiki.models import Page, title_key


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one document: its page, or the reason it was skipped."""

    name: str
    page: Page | None = None
    reason: str = ""
    notes: tuple[str, ...] = ()


def import_document(
    actor: User, filename: str, data: bytes, *, space_id: int | None, parent_id: int | None
) -> Outcome:
    """Make a page of one document, its images and the original attached. A document that
    cannot be imported is skipped with the reason (nothing is written for it)."""
    name = clean_filename(filename) or filename
    try:
        if len(data) > current_app.config["UPLOAD_MAX_BYTES"]:
            raise TooLarge(_("The file is larger than uploads may be."))
        converted = convert_document(name, data)
        page = service.create_page(
            actor,
            service.NewPage(
                title=converted.title,
                body=converted.markdown,
                space_id=space_id,
                parent_id=parent_id,
                comment=_("Imported from %(name)s", name=name),
            ),
            files=[*converted.images, (name, data)],
            placeholder=IMAGE_PLACEHOLDER,
        )
    except DomainError as err:
        db.session.rollback()
        return Outcome(name, reason=_reason(err))
    return Outcome(name, page=page, notes=tuple(dict.fromkeys(converted.notes)))


def _reason(err: DomainError) -> str:
    details = [message for messages in err.errors.values() for message in messages]
    details = [message for message in details if message != err.message]
    return " ".join([err.message, *details]) if details else err.message


def import_tree(
    actor: User,
    paths: Iterable[Path],
    *,
    space_id: int | None,
    parent_id: int | None,
    progress: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Import files and folders: a folder becomes a page (reused when it exists) holding its
    documents and sub-folders. Files that are not documents are skipped with the reason."""
    outcomes: list[Outcome] = []
    for path in paths:
        _import_path(actor, path, space_id, parent_id, outcomes, progress)
    return outcomes


def documents_in(paths: Iterable[Path]) -> int:
    """How many files an import of ``paths`` will look at (for a progress bar)."""
    count = 0
    for path in paths:
        if path.is_dir():
            count += sum(1 for item in path.rglob("*") if item.is_file() and not _hidden(item))
        elif path.is_file():
            count += 1
    return count


def _hidden(path: Path) -> bool:
    # Office lock files (~$Bericht.docx) and hidden files are not documents.
    return path.name.startswith((".", "~$"))


def _import_path(actor, path: Path, space_id, parent_id, outcomes, progress) -> None:
    if path.is_symlink():
        outcome = Outcome(path.name, reason=_("Links to other places are not followed."))
        outcomes.append(outcome)
        progress(outcome)
    elif path.is_dir():
        folder = _folder_page(actor, path.name, space_id, parent_id)
        if isinstance(folder, Outcome):
            outcomes.append(folder)
            progress(folder)
            return
        for child in sorted(path.iterdir(), key=lambda item: (item.is_dir(), item.name.lower())):
            if not _hidden(child):
                _import_path(actor, child, space_id, folder.id, outcomes, progress)
    elif path.is_file():
        if path.suffix.lower().lstrip(".") not in IMPORTABLE:
            outcome = Outcome(path.name, reason=_("Not a .docx or .odt document."))
        else:
            outcome = import_document(
                actor, path.name, path.read_bytes(), space_id=space_id, parent_id=parent_id
            )
        outcomes.append(outcome)
        progress(outcome)


def _folder_page(actor: User, name: str, space_id, parent_id) -> Page | Outcome:
    """The page standing for a folder: the existing one of that title, else a new one."""
    title = name.replace("_", " ").strip()[:200] or name
    existing = db.session.scalar(
        select(Page).where(
            Page.space_id.is_(None) if space_id is None else Page.space_id == space_id,
            Page.title_key == title_key(title),
            Page.deleted_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    try:
        return service.create_page(
            actor,
            service.NewPage(
                title=title,
                space_id=space_id,
                parent_id=parent_id,
                comment=_("Imported folder %(name)s", name=name),
            ),
        )
    except DomainError as err:
        db.session.rollback()
        return Outcome(name, reason=_reason(err))
