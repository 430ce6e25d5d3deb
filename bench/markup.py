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
    "ampersands": "&",
    "brackets [": "[",
    "nested brackets": None,
    "images ![": "![",
    "nested lists": None,
    "lists in quotes": "- > ",
    "lazy quote lines": None,
    "emphasis runs": None,
    "strong nesting": "*a **b ",
    "long link runs": "[a](https://example.org/x)",
    "reference links": "[a][b] ",
    "table columns": None,
    "task lists": "- [x] a\n",
    "footnote defs": "[^1]: a\n",
    "footnote refs, defined": None,
    "raw inline tags": "<b>",
    "raw tags with attrs": '<b title="x">',
    "html nesting": None,
    "code highlighting": None,
}
# Constructs that are no single repeated unit.
BUILDERS = {
    "nested brackets": lambda size: "[" * (size // 2) + "]" * (size // 2),
    "nested lists": lambda size: "".join("  " * depth + "- a\n" for depth in range(700)),
    "lazy quote lines": lambda size: ">" * 60 + " a\n" + "b\n" * size,
    "emphasis runs": lambda size: "*" * (size // 2) + "a" + "*" * (size // 2),
    "table columns": lambda size: "\n".join(
        ["|a" * (size // 6), "|-" * (size // 6), "|a" * (size // 6)]
    ),
    "footnote refs, defined": lambda size: "[^1]: a\n\n" + "[^1] " * size,
    "html nesting": lambda size: "<div>\n" + "<div>" * size,
    "code highlighting": lambda size: "```python\n" + "def f(x):\n    return x + 1\n" * size,
}
WRITERS = {
    "wiki": (MAX_BODY, render_markdown),
    "blog": (DEFAULTS["BLOG_POST_MAX_LENGTH"], render_markdown),
    "comment": (DEFAULTS["COMMENT_MAX_LENGTH"], render_micro),
    "micropost": (DEFAULTS["MICROPOST_MAX_LENGTH"], render_micro),
}


def body(name: str, size: int) -> str:
    unit = CONSTRUCTS[name]
    text = BUILDERS[name](size) if unit is None else unit * (size // len(unit) + 1)
    return text[:size]


def main(only: list[str]) -> None:
    print(f"{'construct':18}" + "".join(f"{name:>10}" for name in WRITERS) + "   (CPU seconds)")
    for name in CONSTRUCTS:
        if only and name not in only:
            continue
        figures = []
        for size, render in WRITERS.values():
            start = time.process_time()
            render(body(name, size))
            figures.append(time.process_time() - start)
        print(f"{name:18}" + "".join(f"{figure:10.2f}" for figure in figures), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
