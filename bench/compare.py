"""Comparison figures: word and line diffs of the largest wiki page (500,000 characters).

Run: ``python bench/compare.py`` (no database; prints CPU seconds per case, asserts nothing).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.wiki.diffs import line_diff, word_diff
from app.wiki.service import MAX_BODY


def prose(seed: int) -> str:
    """German-looking text with a natural share of distinct words, MAX_BODY characters."""
    rng = random.Random(seed)
    common = [
        "der",
        "die",
        "das",
        "und",
        "im",
        "für",
        "mit",
        "wird",
        "nach",
        "dem",
        "den",
        "ein",
        "eine",
        "auf",
        "ist",
    ]
    lines, size, number = [], 0, 0
    while size < MAX_BODY:
        words = [rng.choice(common) if rng.random() < 0.6 else f"Wort{rng.randrange(40_000)}"]
        words += [rng.choice(common) if rng.random() < 0.6 else f"Wort{number}" for _ in range(12)]
        number += 1
        line = " ".join(words) + ("\n\n" if rng.random() < 0.2 else "\n")
        lines.append(line)
        size += len(line)
    return "".join(lines)[:MAX_BODY]


def cases() -> dict[str, tuple[str, str]]:
    text = prose(1)
    lines = text.splitlines(keepends=True)
    rng = random.Random(2)
    edited = list(lines)
    for index in rng.sample(range(len(lines)), 200):
        edited[index] = edited[index].replace(" und ", " oder ", 1) + "neu\n"
    shuffled = list(lines)
    rng.shuffle(shuffled)
    one_line = text.replace("\n", " ")
    return {
        "200 scattered edits": (text, "".join(edited)),
        "everything moved": (text, "".join(shuffled)),
        "rewritten (other text)": (text, prose(3)),
        "one line, 200 edits": (one_line, "".join(edited).replace("\n", " ")),
        "same word 250,000 times": ("a " * (MAX_BODY // 2), "b " + "a " * (MAX_BODY // 2 - 1)),
        "same line 250,000 times": ("a\n" * (MAX_BODY // 2), "a\nb\n" * (MAX_BODY // 4)),
    }


def main() -> None:
    print(f"{'case':28} {'words':>8} {'lines':>8}   (CPU seconds, {MAX_BODY:,} characters)")
    for name, (old, new) in cases().items():
        figures = []
        for diff in (word_diff, line_diff):
            start = time.process_time()
            diff(old, new)
            figures.append(time.process_time() - start)
        print(f"{name:28} {figures[0]:8.3f} {figures[1]:8.3f}")


if __name__ == "__main__":
    main()
