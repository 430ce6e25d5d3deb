"""A profile as a vCard 3.0 (RFC 2426 / 6350 escaping, UTF-8, lines folded at 75 octets)."""

from __future__ import annotations

from app.profiles.service import PersonProfile

MAX_LINE_OCTETS = 75


def escape(value: str) -> str:
    """Escape a text value: backslash, comma, semicolon and line breaks."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a character."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = MAX_LINE_OCTETS if not chunks else MAX_LINE_OCTETS - 1  # continuation: a space
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def vcard(person: PersonProfile, profile_url: str) -> str:
    user = person.user
    words = user.display_name.split()
    family = words[-1] if words else ""
    given = " ".join(words[:-1])
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{escape(user.display_name)}",
        f"N:{escape(family)};{escape(given)};;;",
        f"EMAIL;TYPE=INTERNET,WORK:{escape(user.email)}",
    ]
    if person.job_title:
        lines.append(f"TITLE:{escape(person.job_title)}")
    if person.department:
        lines.append(f"ORG:;{escape(person.department.name)}")
    if person.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(person.phone)}")
    if person.location:
        lines.append(f"ADR;TYPE=WORK:;{escape(person.location)};;;;;")
    if person.ask_me_about:
        lines.append(f"NOTE:{escape(person.ask_me_about)}")
    lines.append(f"URL:{profile_url}")  # a URI, not text: no escaping
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
