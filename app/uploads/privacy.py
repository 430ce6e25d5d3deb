"""Files a person uploaded. They stay after erasure: they are attached to work content
(pages, posts), which stays too; the upload row points at the pseudonymous account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.privacy.archive import ExportFile
from app.privacy.pseudonyms import Pseudonym
from app.uploads.models import Upload
from app.uploads.store import path_for


def _uploads(user: User):
    return db.session.scalars(
        select(Upload).where(Upload.uploader_id == user.id).order_by(Upload.id)
    )


def export(user: User) -> dict[str, Any]:
    return {
        "uploads": (
            {
                "id": upload.id,
                "file_name": upload.original_filename,
                "content_type": upload.content_type,
                "size": upload.size,
                "sha256": upload.sha256,
                "uploaded_at": upload.created_at,
            }
            for upload in _uploads(user)
        )
    }


def files(user: User) -> Iterator[ExportFile]:
    for upload in _uploads(user):
        yield ExportFile(
            name=f"{upload.id}-{upload.original_filename}", path=path_for(upload.sha256)
        )


def erase(user: User, pseudonym: Pseudonym) -> None:
    """Nothing to erase: see the module's doc."""
