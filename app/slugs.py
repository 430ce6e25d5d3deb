"""URL slugs from titles and names, readable in German too ("Bürgerbüro" -> "buergerbuero")."""

import re
import unicodedata

GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
MAX_SLUG = 80


def slugify(text: str, *, fallback: str = "item") -> str:
    """Lower-case ASCII words joined by hyphens; ``fallback`` when nothing is left."""
    text = unicodedata.normalize("NFC", text).lower().translate(GERMAN_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or fallback
