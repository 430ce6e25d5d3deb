"""The sanitiser keeps what our renderer emits and reduces everything else."""

from pathlib import Path

import pytest

from app.markup import pygments_css, sanitize

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="h-ziele">Ziele</h2>',
        '<sup id="fnref2-1"><a class="footnote-ref" href="#fn-1">1</a></sup>',
        '<div class="codehilite"><pre><span></span><code>'
        '<span class="k">def</span></code></pre></div>',
        '<ul class="task-list"><li class="task-list-item"><label>'
        '<input checked disabled type="checkbox"> x</label></li></ul>',
        '<a class="wiki-link wiki-missing" href="/wiki/Neu">Neu</a>',
        '<a class="mention" href="/people/anna">@anna</a>',
        '<a href="mailto:anna@example.org">Anna</a>',
        '<img alt="Plan" height="20" src="/files/plan.png" width="30">',
        '<table><tbody><tr><td align="right" colspan="2">1</td></tr></tbody></table>',
        '<ol start="3"><li value="5">x</li></ol>',
        '<details open=""><summary>Mehr</summary>'
        '<p><abbr title="Öffentlicher Nahverkehr">ÖPNV</abbr></p></details>',
    ],
)
def test_what_our_renderer_emits_passes_unchanged(html: str) -> None:
    assert sanitize(html) == html


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://example.org", True),
        ("HTTP://example.org", True),
        ("mailto:a@example.org", True),
        ("/wiki/Start", True),
        ("#h-ziele", True),
        ("&#109;ailto:a@example.org", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("/\t/evil.example", False),
        ("ftp://example.org", False),
        ("file:///etc/passwd", False),
        ("relative/path", False),
        ("?page=2", False),
        (" javascript:alert(1)", False),
        ("java&#x0A;script:alert(1)", False),
        ("&#x6A;avascript:alert(1)", False),
        ("\u200bjavascript:alert(1)", False),
    ],
)
def test_only_web_mail_and_own_urls_survive(href: str, kept: bool) -> None:
    assert ("href=" in sanitize(f'<a href="{href}">x</a>')) is kept


def test_external_links_get_rel_and_lose_their_own() -> None:
    html = sanitize('<a href="https://example.org" rel="opener" target="_blank">x</a>')
    assert html == '<a href="https://example.org" rel="nofollow noopener noreferrer">x</a>'


def test_internal_links_get_no_rel() -> None:
    assert sanitize('<a href="/wiki/Start" rel="nofollow">x</a>') == '<a href="/wiki/Start">x</a>'


@pytest.mark.parametrize("id_", ["location", "h", "fnx-1", "user-content-x", "h- x"])
def test_ids_without_our_prefixes_are_dropped(id_: str) -> None:
    assert sanitize(f'<p id="{id_}">x</p>') == "<p>x</p>"


def test_classes_we_do_not_emit_are_dropped() -> None:
    assert sanitize('<p class="btn btn-danger">x</p><span class="k evil">y</span>') == (
        '<p>x</p><span class="k">y</span>'
    )


def test_checkbox_is_forced_disabled_and_other_inputs_vanish() -> None:
    html = sanitize('<input type="checkbox"><input type="text" value="x"><input type="hidden">')
    assert html == '<input disabled type="checkbox">'


def test_style_and_event_attributes_are_dropped() -> None:
    assert sanitize('<b style="color:red" onclick="x" onmouseover="y">x</b>') == "<b>x</b>"


def test_comments_are_removed() -> None:
    assert sanitize("a<!-- secret -->b") == "ab"


def test_unbalanced_tags_are_closed() -> None:
    assert sanitize("<p><b>x</p>") == "<p><b>x</b></p>"


def test_text_entities_stay_text() -> None:
    assert sanitize("&lt;script&gt; &amp; &#60;b&#62;") == "&lt;script&gt; &amp; &lt;b&gt;"


def test_committed_pygments_css_is_current() -> None:
    committed = (REPOSITORY / "static" / "css" / "pygments.css").read_text(encoding="utf-8")
    assert committed == pygments_css()


def test_pygments_css_is_scoped_to_code_blocks() -> None:
    rules = [line for line in pygments_css().splitlines() if "{" in line]
    assert rules
    assert all(rule.startswith(".codehilite") for rule in rules)
