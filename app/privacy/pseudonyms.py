"""Who an erased colleague becomes, and how mentions of them in anyone's text follow."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.accounts.models import User
from app.urls import path_for

PSEUDONYMISE = "pseudonymise"
ATTRIBUTE = "attribute"
ERASURE_MODES = (PSEUDONYMISE, ATTRIBUTE)
PSEUDONYM_PREFIX = "former-"
# Stored in a neutral form; pages show it in the reader's language (people.html macro).
PSEUDONYM_NAME = "Former colleague #{id}"
INVALID_DOMAIN = "invalid"  # RFC 2606: never delivers


@dataclass(frozen=True, slots=True)
class Pseudonym:
    """What an erased account is called from now on, and what it was called before (held
    only while erasing, never stored)."""

    user_id: int
    former_username: str
    username: str
    email: str
    display_name: str

    @classmethod
    def for_user(cls, user: User, mode: str) -> Pseudonym:
        display_name = user.display_name if mode == ATTRIBUTE else PSEUDONYM_NAME.format(id=user.id)
        return cls(
            user_id=user.id,
            former_username=user.username,
            username=f"{PSEUDONYM_PREFIX}{user.id}",
            email=f"{PSEUDONYM_PREFIX}{user.id}@{INVALID_DOMAIN}",
            display_name=display_name,
        )

    def rewrite_source(self, text: str | None) -> str | None:
        """``@former`` mentions in Markdown source become ``@former-<id>``."""
        if not text or "@" not in text:
            return text
        return _mention_pattern(self.former_username).sub("@" + self.username, text)

    def rewrite_html(self, html: str | None) -> str | None:
        """Mention links in stored HTML point at, and read as, the pseudonymous profile."""
        if not html or self.former_username not in html.lower():
            return html
        old_path = path_for("profiles.show_profile", username=self.former_username)
        new_path = path_for("profiles.show_profile", username=self.username)
        html = html.replace(f'href="{old_path}"', f'href="{new_path}"')
        return _mention_pattern(self.former_username).sub("@" + self.username, html)

    def mentions(self, text: str | None) -> bool:
        return bool(text) and self.former_username in text.lower()


def is_erased(user: User) -> bool:
    """An erased account keeps only its pseudonymous username and address."""
    return user.username == f"{PSEUDONYM_PREFIX}{user.id}" and user.email.endswith(
        f"@{INVALID_DOMAIN}"
    )


def _mention_pattern(username: str) -> re.Pattern[str]:
    # The same boundaries as app.markup.mentions: not inside an address or a longer name.
    return re.compile(
        rf"(?<![^\W_]|[.@/+\-])@{re.escape(username)}(?![\w]|[.\-][^\W_])", re.IGNORECASE
    )
