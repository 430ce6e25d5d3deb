""" "Did you mean": choosing a correction among words the reader can find."""

from __future__ import annotations

from collections.abc import Mapping


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between `a` and `b`."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def choose_correction(word: str, readable_counts: Mapping[str, int]) -> str | None:
    """The candidate closest to `word`, ties broken by how many readable documents hold it.

    `readable_counts` must count only documents the reader may see, so the choice says
    nothing about documents hidden from them.
    """
    found = {candidate: n for candidate, n in readable_counts.items() if n > 0}
    if not found:
        return None
    lowered = word.lower()
    return min(found, key=lambda c: (edit_distance(lowered, c), -found[c], c))
