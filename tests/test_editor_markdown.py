"""The visual editor's Markdown: what it writes back renders as the text it was given.

The editor never rewrites a document nobody edited (the browser tests check that); these
tests force the full round trip, text -> editor document -> text, through the editor's own
module under Node, and render both texts with the server's renderer.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from app.blog.models import Post
from app.extensions import db
from app.markup import render_markdown
from app.wiki.models import Page
from tests.conftest import needs
from tests.markup.test_markup_hostile import HOSTILE, executable_parts

ROOT = Path(__file__).resolve().parent.parent
ROUNDTRIP = ROOT / "assets" / "editor" / "roundtrip.mjs"


def round_trip(texts: list[str]) -> list[str]:
    """The texts as the editor saves them after loading them and changing something."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules").is_dir():
        needs("Node and the npm packages are needed (make env installs them)")
    result = subprocess.run(
        [node, str(ROUNDTRIP)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def html(text: str) -> str:
    """The page as a reader sees it: runs of whitespace count as one space, and none before
    an element closes."""
    return re.sub(r"\s+(</)", r"\1", re.sub(r"\s+", " ", render_markdown(text).html))


SYNTAX = {
    "headings and emphasis": "# Title\n\n## Part\n\nSome **bold**, *italic* and `code`.\n",
    "nested lists": "- one\n- two\n    - two a\n    - two b\n        - deeper\n- three\n",
    "ordered from 3": "3. three\n4. four\n",
    "loose list": "- first\n\n- second\n",
    "task list": "- [ ] open\n- [x] done\n- plain\n",
    "wiki links": "See [[Vergaberecht]] and [[Beschaffung|the rules]].\n",
    "mentions and tags": "Ask @anna_weber about #vergabe and #e-akte.\n",
    "table": "| Name | Betrag |\n|:---|---:|\n| Papier | 12 € |\n| Toner \\| Tinte | 80 € |\n",
    "quote and code": "> Quoted\n> text\n\n```python\nprint('x')\n```\n",
    "link and image": "[Portal](https://example.org/a_b) ![Plan](/wiki/pages/1/files/2/plan.png)\n",
    "hard break": "line one  \nline two\n",
    "escapes": "5 \\* 3 = 15, a_b_c, \\_under\\_, \\[not a link\\], <b>text</b>\n",
    "numbers at line start": "2024\\. Ein Jahr\n",
    "unicode": "Grüße aus Köln – 東京 🙂\n",
}


@pytest.mark.parametrize("name", sorted(SYNTAX))
def test_editor_round_trip_renders_the_same_page(app, name):
    source = SYNTAX[name]
    [saved] = round_trip([source])
    assert html(saved) == html(source), saved


def test_editor_round_trip_keeps_every_demo_page_and_post(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    texts = list(db.session.scalars(select(Page.body))) + list(
        db.session.scalars(select(Post.body))
    )
    assert len(texts) >= 5
    for source, saved in zip(texts, round_trip(texts), strict=True):
        assert html(saved) == html(source), saved


def test_editor_round_trip_of_hostile_markdown_stays_inert_and_stable(app):
    sources = list(HOSTILE.values())
    once = round_trip(sources)
    twice = round_trip(once)
    for source, saved, again in zip(sources, once, twice, strict=True):
        assert executable_parts(html(saved)) == [], (source, saved)
        # A second edit changes nothing more: the editor does not drift a page.
        assert again == saved, (source, saved)
