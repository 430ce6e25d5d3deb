"""`#tag` in any script, and the one normalisation every tag goes through."""

import unicodedata

HASHTAG_CLASS = "hashtag"
# Joiners are part of words in Persian and Indic scripts.
_JOINERS = "\u200c\u200d"


def normalize_tag(raw: str) -> str:
    """Return the canonical form of a tag: without "#" and outer spaces, NFC, casefolded.

    "#ÖPNV", " öpnv " and "ÖPNV" written decomposed all become "öpnv". Returns "" for an
    empty tag.
    """
    # Composing after casefolding also covers input written decomposed (O + U+0308).
    return unicodedata.normalize("NFC", raw.strip().lstrip("#").strip().casefold())


def is_tag_character(char: str) -> bool:
    """Say whether `char` continues a tag: a letter, mark, digit, "_", "-" or joiner."""
    return char in "-_" or char in _JOINERS or unicodedata.category(char)[0] in "LMN"
