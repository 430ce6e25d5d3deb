"""Markup figures: the worst case per construct at the largest body each writer accepts.

Run: ``python bench/markup.py [construct ...]`` (no database; prints CPU seconds of
render_markdown / render_micro per construct, asserts nothing). Sizes: wiki pages
(app.wiki.service.MAX_BODY), blog posts (BLOG_POST_MAX_LENGTH), comments
(COMMENT_MAX_LENGTH), microposts (MICROPOST_MAX_LENGTH).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import DEFAULTS
from app.markup import render_markdown, render_micro
from app.wiki.service import MAX_BODY

# One repeated unit per construct; the body is the unit repeated up to the size.
CONSTRUCTS = {
    "prose": "Der Antrag wird im Bürgerbüro geprüft und an die Abteilung weitergeleitet. ",
    "headings": "# h\n",
    "setext headings": "a\n=\n",
    "rules": "---\n\n",
    "wiki links [[": "[[",
    "divs": "<div>",
    "hashtags": "#tag ",
    "mentions": "@anna ",
    "emphasis *a": "*a ",
    "strong **a**": "**a** ",
    "links": "[a](https://example.org) ",
    "bare URLs": "https://example.org/x ",
    "tables": "|a|b|\n",
    "footnote refs": "[^1] ",
    "quotes": "> a\n",
    "nested quotes": ">",
    "bullets": "- a\n",
    "ordered list": "1. a\n",
    "fences": "```\na\n```\n",
    "indented code": "    a\n\n",
    "paragraphs": "a\n\n",
    "lines": "a\n",
    "one long line": "a",
    "backticks": "`",
    "less-than": "<",
    "entities": "&amp; ",
}
WRITERS = {
    "wiki": (MAX_BODY, render_markdown),
    "blog": (DEFAULTS["BLOG_POST_MAX_LENGTH"], render_markdown),
    "comment": (DEFAULTS["COMMENT_MAX_LENGTH"], render_micro),
    "micropost": (DEFAULTS["MICROPOST_MAX_LENGTH"], render_micro),
}


def body(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def main(only: list[str]) -> None:
    print(f"{'construct':18}" + "".join(f"{name:>10}" for name in WRITERS) + "   (CPU seconds)")
    for name, unit in CONSTRUCTS.items():
        if only and name not in only:
            continue
        figures = []
        for size, render in WRITERS.values():
            start = time.process_time()
            render(body(unit, size))
            figures.append(time.process_time() - start)
        print(f"{name:18}" + "".join(f"{figure:10.2f}" for figure in figures), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
