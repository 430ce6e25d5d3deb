"""Who an erased colleague becomes, and how mentions of them in anyone's text follow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.accounts.models import User
from app.urls import path_for

PSEUDONYMISE = "pseudonymise"
ATTRIBUTE = "attribute"
ERASURE_MODES = (PSEUDONYMISE, ATTRIBUTE)
PSEUDONYM_PREFIX = "former-"
# Stored in one neutral (English) form: pages show display names as stored.
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
    # Worked out once: an erasure rewrites thousands of texts.
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _paths: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", _mention_pattern(self.former_username))
        paths = (
            path_for("profiles.show_profile", username=self.former_username),
            path_for("profiles.show_profile", username=self.username),
        )
        object.__setattr__(self, "_paths", paths)

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
        return self._pattern.sub("@" + self.username, text)

    def rewrite_html(self, html: str | None) -> str | None:
        """Mention links in stored HTML point at, and read as, the pseudonymous profile."""
        if not html or self.former_username not in html.lower():
            return html
        old_path, new_path = self._paths
        html = html.replace(f'href="{old_path}"', f'href="{new_path}"')
        return self._pattern.sub("@" + self.username, html)


def is_erased(user: User) -> bool:
    """An erased account keeps only its pseudonymous username and address."""
    return user.username == f"{PSEUDONYM_PREFIX}{user.id}" and user.email.endswith(
        f"@{INVALID_DOMAIN}"
    )


def _mention_pattern(username: str) -> re.Pattern[str]:
    # The boundaries of app.markup.mentions: not inside an address or path, and not the start
    # of a longer name (which would mention someone else). "@" first lets the engine skip
    # ahead quickly; the look-behind then checks the character before it.
    return re.compile(
        rf"@(?<!(?:[^\W_]|[.@/+\-])@){re.escape(username)}(?![\w.\-]*[^\W_])", re.IGNORECASE
    )
