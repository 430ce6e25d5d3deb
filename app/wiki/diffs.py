"""Comparing revisions (line or word diff) and merging concurrent edits (three-way)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a diff: ``kind`` is "same", "added" or "removed". Templates escape ``text``."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Merge:
    text: str
    clean: bool  # False: the two edits touch the same lines; ``text`` is then the user's own


def normalise(text: str) -> str:
    """Line ends as "\\n" and a final newline, so equal texts compare equal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") or not text else text + "\n"


def line_diff(old: str, new: str) -> list[Segment]:
    """Whole lines added, removed or kept."""
    a, b = normalise(old).splitlines(), normalise(new).splitlines()
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.extend(Segment("same", line) for line in a[i1:i2])
            continue
        segments.extend(Segment("removed", line) for line in a[i1:i2])
        segments.extend(Segment("added", line) for line in b[j1:j2])
    return segments


def word_diff(old: str, new: str) -> list[Segment]:
    """Words (and the spaces between them) added, removed or kept, in reading order."""
    a, b = WORDS.findall(normalise(old)), WORDS.findall(normalise(new))
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments


def merge3(base: str, theirs: str, mine: str) -> Merge:
    """Apply both edits of ``base`` when they touch different lines.

    Edits that overlap, or insert different text at the same place, cannot be merged: the
    result is then not clean and carries ``mine`` unchanged, so nothing the user typed is lost.
    """
    base_lines = normalise(base).splitlines(keepends=True)
    mine_lines = normalise(mine).splitlines(keepends=True)
    hunks = sorted(
        _hunks(base_lines, normalise(theirs).splitlines(keepends=True))
        + _hunks(base_lines, mine_lines),
        key=lambda hunk: (hunk[0], hunk[1]),
    )
    merged: list[str] = []
    position = 0
    previous: tuple[int, int, list[str]] | None = None
    for start, end, replacement in hunks:
        if previous is not None:
            if (start, end, replacement) == previous:
                continue  # both made the same change
            p_start, p_end, _p = previous
            same_insertion_point = start == end == p_start == p_end
            if start < position or same_insertion_point or (p_start == start < p_end):
                return Merge("".join(mine_lines), clean=False)
        merged.extend(base_lines[position:start])
        merged.extend(replacement)
        position = max(position, end)
        previous = (start, end, replacement)
    merged.extend(base_lines[position:])
    return Merge("".join(merged), clean=True)


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
