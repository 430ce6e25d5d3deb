"""Comparing revisions (line or word diff) and merging concurrent edits (three-way)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
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


# Beyond this many element pairs, a changed region without common anchors is shown as
# replaced whole instead of searched for its longest matches (difflib is quadratic there).
MAX_COMPARED_PAIRS = 40_000
# Total work allowed per element of the two inputs, after which changes count as whole.
WORK_PER_ELEMENT = 32

Opcode = tuple[str, int, int, int, int]


def line_diff(old: str, new: str) -> list[Segment]:
    """Whole lines added, removed or kept."""
    a, b = normalise(old).splitlines(), normalise(new).splitlines()
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            segments.extend(Segment("same", line) for line in a[i1:i2])
            continue
        segments.extend(Segment("removed", line) for line in a[i1:i2])
        segments.extend(Segment("added", line) for line in b[j1:j2])
    return segments


def word_diff(old: str, new: str) -> list[Segment]:
    """Words (and the spaces between them) added, removed or kept, in reading order.

    Lines are compared first and words only inside the lines that changed, so the time
    grows with the page and its changes, not with the square of its words.
    """
    a = normalise(old).splitlines(keepends=True)
    b = normalise(new).splitlines(keepends=True)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            _append(segments, "same", "".join(a[i1:i2]))
            continue
        old_words = WORDS.findall("".join(a[i1:i2]))
        new_words = WORDS.findall("".join(b[j1:j2]))
        for kind, k1, k2, l1, l2 in opcodes(old_words, new_words):
            if kind == "equal":
                _append(segments, "same", "".join(old_words[k1:k2]))
                continue
            if k2 > k1:
                _append(segments, "removed", "".join(old_words[k1:k2]))
            if l2 > l1:
                _append(segments, "added", "".join(new_words[l1:l2]))
    return segments


def _append(segments: list[Segment], kind: str, text: str) -> None:
    """Add a segment, joining it to the previous one of the same kind."""
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes ("equal", "replace", "delete", "insert") that turn `a` into
    `b`, found in time near-linear in their lengths (see matching_blocks)."""
    result: list[Opcode] = []
    i = j = 0
    for block_a, block_b, size in [*matching_blocks(a, b), (len(a), len(b), 0)]:
        if i < block_a and j < block_b:
            result.append(("replace", i, block_a, j, block_b))
        elif i < block_a:
            result.append(("delete", i, block_a, j, block_b))
        elif j < block_b:
            result.append(("insert", i, block_a, j, block_b))
        if size:
            result.append(("equal", block_a, block_a + size, block_b, block_b + size))
        i, j = block_a + size, block_b + size
    return result


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """Runs (i, j, size) with a[i:i+size] == b[j:j+size], in order, adjacent runs joined.

    Common ends are cut off first; a small stretch then goes to difflib (at most
    MAX_COMPARED_PAIRS pairs: it is quadratic); a larger one is split at the elements that
    occur once on each side (patience diff), kept in their longest common order. A large
    stretch without such anchors, or any once the work passes WORK_PER_ELEMENT times the
    inputs' length, counts as replaced whole.
    """
    budget = WORK_PER_ELEMENT * (len(a) + len(b) + 1)
    blocks: list[tuple[int, int, int]] = []
    pending = [(0, len(a), 0, len(b))]
    while pending:
        a1, a2, b1, b2 = pending.pop()
        size = 0
        while a1 + size < a2 and b1 + size < b2 and a[a1 + size] == b[b1 + size]:
            size += 1
        if size:
            blocks.append((a1, b1, size))
            a1, b1 = a1 + size, b1 + size
        size = 0
        while a1 < a2 - size and b1 < b2 - size and a[a2 - 1 - size] == b[b2 - 1 - size]:
            size += 1
        if size:
            blocks.append((a2 - size, b2 - size, size))
            a2, b2 = a2 - size, b2 - size
        if a1 == a2 or b1 == b2:
            continue
        budget -= (a2 - a1) + (b2 - b1)
        if budget < 0:
            continue
        if (a2 - a1) * (b2 - b1) <= MAX_COMPARED_PAIRS:
            budget -= (a2 - a1) * (b2 - b1) // WORK_PER_ELEMENT
            matcher = SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
            blocks.extend((a1 + i, b1 + j, n) for i, j, n in matcher.get_matching_blocks() if n)
            continue
        previous_a, previous_b = a1, b1
        for i, j in _unique_anchors(a, a1, a2, b, b1, b2):
            blocks.append((i, j, 1))
            pending.append((previous_a, i, previous_b, j))
            previous_a, previous_b = i + 1, j + 1
        if previous_a > a1:  # without anchors the stretch stays replaced whole
            pending.append((previous_a, a2, previous_b, b2))
    joined: list[tuple[int, int, int]] = []
    for i, j, size in sorted(blocks):
        if joined and joined[-1][0] + joined[-1][2] == i and joined[-1][1] + joined[-1][2] == j:
            joined[-1] = (joined[-1][0], joined[-1][1], joined[-1][2] + size)
        else:
            joined.append((i, j, size))
    return joined


def _unique_anchors(
    a: Sequence[Hashable], a1: int, a2: int, b: Sequence[Hashable], b1: int, b2: int
) -> list[tuple[int, int]]:
    """Positions (i, j) of elements found once in a[a1:a2] and once in b[b1:b2], the longest
    run of them in the same order on both sides."""
    counts_a = Counter(a[a1:a2])
    counts_b = Counter(b[b1:b2])
    where_b = {b[j]: j for j in range(b1, b2) if counts_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(a1, a2) if counts_a[a[i]] == 1 and a[i] in where_b]
    # Longest increasing run of j by patience sorting: O(k log k).
    tops: list[int] = []
    top_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_i, j) in enumerate(pairs):
        pile = bisect_left(tops, j)
        if pile == len(tops):
            tops.append(j)
            top_index.append(index)
        else:
            tops[pile] = j
            top_index[pile] = index
        previous[index] = top_index[pile - 1] if pile else -1
    run: list[tuple[int, int]] = []
    index = top_index[-1] if top_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


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
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in opcodes(base, other) if tag != "equal"
    ]
