"""Names of skill and language levels, and of languages, in the reader's UI language."""

from __future__ import annotations

import unicodedata

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.profiles.models import LANGUAGE_LEVELS, SkillLevel

SKILL_LEVEL_NAMES = {
    SkillLevel.BASIC: _l("basic"),
    SkillLevel.PRACTICAL: _l("practical"),
    SkillLevel.ADVANCED: _l("advanced"),
    SkillLevel.EXPERT: _l("expert"),
}
# Babel's own list of languages, narrowed to two-letter ISO 639-1 codes.
_REFERENCE_LOCALE = Locale("en")
LANGUAGE_CODES = frozenset(
    code for code in _REFERENCE_LOCALE.languages if len(code) == 2 and code.isalpha()
)


def skill_level_name(level: int) -> str:
    return str(SKILL_LEVEL_NAMES[SkillLevel(level)])


def language_level_label(level: str) -> str:
    return str(_l("native")) if level == "native" else level


def language_name(code: str) -> str:
    """``code``'s language named in the reader's UI language ("Englisch" for German)."""
    locale = get_locale() or _REFERENCE_LOCALE
    return locale.languages.get(code) or _REFERENCE_LOCALE.languages.get(code) or code


def _sort_key(name: str) -> str:
    # "Dänisch" between "Chinesisch" and "Deutsch", not after "Dzongkha".
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every ISO 639-1 language, sorted by name in the UI language."""
    return sorted(
        ((code, language_name(code)) for code in LANGUAGE_CODES),
        key=lambda choice: _sort_key(choice[1]),
    )


def language_level_rank(level: str) -> int:
    return LANGUAGE_LEVELS.index(level)


def language_levels_from(minimum: str) -> tuple[str, ...]:
    """The levels at or above ``minimum``."""
    return LANGUAGE_LEVELS[language_level_rank(minimum) :]
