"""The full dialect (wiki, blogs) and the lite one (microblog) render as intended."""

import pytest

from app.markup import render_markdown, render_micro


class Directory:
    """A resolver that knows every page, the user anna and every tag."""

    def wiki_link(self, title: str) -> tuple[str, bool]:
        return f"/wiki/{title}", True

    def mention(self, username: str) -> str | None:
        return "/people/anna" if username == "anna" else None

    def tag(self, tag: str) -> str:
        return f"/tags/{tag}"


def test_headings_get_prefixed_anchors_and_a_table_of_contents() -> None:
    html = render_markdown("[TOC]\n\n# Über uns\n\n## Ziele\n\n## Ziele").html
    assert '<div class="toc">' in html
    assert '<a href="#h-über-uns">Über uns</a>' in html
    assert '<h1 id="h-über-uns">Über uns</h1>' in html
    assert '<h2 id="h-ziele">Ziele</h2>' in html
    assert '<h2 id="h-ziele_1">Ziele</h2>' in html


def test_heading_without_letters_still_gets_a_usable_anchor() -> None:
    assert render_markdown("# !!!").html == '<h1 id="h-section">!!!</h1>'


def test_hash_heading_needs_a_space() -> None:
    assert render_markdown("#Title").html == "<p>#Title</p>"


def test_fenced_code_is_highlighted_with_css_classes() -> None:
    html = render_markdown("```python\ndef f():\n    return 1\n```").html
    assert html.startswith('<div class="codehilite"><pre>')
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_code_without_language_is_not_guessed() -> None:
    html = render_markdown("```\n#!/usr/bin/env python\nimport os\n```").html
    assert '<span class="kn">' not in html
    assert "import os" in html


def test_html_in_code_is_shown_as_text() -> None:
    html = render_markdown("```\n<b>bold</b>\n```").html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_tables_keep_alignment_without_style() -> None:
    html = render_markdown("| Amt | Zimmer |\n|:--|--:|\n| Bürgerbüro | 12 |").html
    assert '<th align="left">Amt</th>' in html
    assert '<td align="right">12</td>' in html


def test_task_lists_become_labelled_disabled_checkboxes() -> None:
    html = render_markdown("- [ ] offen\n- [x] erledigt\n- normal").html
    assert html == (
        '<ul class="task-list">\n'
        '<li class="task-list-item"><label><input disabled type="checkbox"> offen</label></li>\n'
        '<li class="task-list-item"><label><input checked disabled type="checkbox"> erledigt'
        "</label></li>\n"
        "<li>normal</li>\n"
        "</ul>"
    )


def test_task_lists_in_loose_and_nested_lists() -> None:
    html = render_markdown("- [X] a\n\n- [ ] b\n    - [x] c").html
    assert html.count('<input checked disabled type="checkbox">') == 2
    assert html.count('<input disabled type="checkbox">') == 1


def test_brackets_that_are_no_task_stay_text() -> None:
    assert (
        render_markdown("- [y] no\n- [] none").html
        == "<ul>\n<li>[y] no</li>\n<li>[] none</li>\n</ul>"
    )


def test_task_text_keeps_inline_markup() -> None:
    html = render_markdown("- [ ] **ask** @anna", Directory()).html
    assert '<strong>ask</strong> <a class="mention" href="/people/anna">@anna</a>' in html


def test_footnotes_use_prefixed_ids() -> None:
    html = render_markdown("Text[^1].\n\n[^1]: Quelle.").html
    assert '<sup id="fnref-1"><a class="footnote-ref" href="#fn-1">1</a></sup>' in html
    assert '<li id="fn-1">' in html
    assert 'class="footnote-backref" href="#fnref-1"' in html


def test_sane_lists_do_not_mix_list_types() -> None:
    html = render_markdown("1. eins\n\n* zwei").html
    assert html == "<ol>\n<li>eins</li>\n</ol>\n<ul>\n<li>zwei</li>\n</ul>"


def test_ordered_list_keeps_its_start() -> None:
    assert render_markdown("3. drei").html == '<ol start="3">\n<li>drei</li>\n</ol>'


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://example.org/a_b?x=1&y=2.", "https://example.org/a_b?x=1&amp;y=2"),
        (
            "(https://de.wikipedia.org/wiki/Amt_(Verwaltung))",
            "https://de.wikipedia.org/wiki/Amt_(Verwaltung)",
        ),
        ("http://intranet.example/#top, then", "http://intranet.example/#top"),
    ],
)
def test_bare_urls_become_external_links(text: str, url: str) -> None:
    html = render_markdown(text).html
    assert f'<a href="{url}" rel="nofollow noopener noreferrer">' in html


def test_www_address_becomes_https_link() -> None:
    html = render_markdown("www.example.org.").html
    assert html == (
        '<p><a href="https://www.example.org" rel="nofollow noopener noreferrer">'
        "www.example.org</a>.</p>"
    )


def test_url_in_markdown_link_is_not_linked_twice() -> None:
    html = render_markdown("[https://a.example](https://b.example)").html
    assert html.count("<a ") == 1


def test_markdown_links_internal_and_mail() -> None:
    html = render_markdown(
        "[intern](/wiki/Start) [mail](mailto:a@example.org) <a@example.org>"
    ).html
    assert '<a href="/wiki/Start">intern</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html
    assert '<a href="mailto:a@example.org">a@example.org</a>' in html


def test_relative_paths_lose_their_href() -> None:
    assert render_markdown("[x](other-page)").html == "<p><a>x</a></p>"


def test_images_keep_alt_text() -> None:
    html = render_markdown('![Rathaus](/files/rathaus.jpg "Das Rathaus")').html
    assert html == '<p><img src="/files/rathaus.jpg" alt="Rathaus" title="Das Rathaus"></p>'


def test_raw_html_is_sanitised_not_dropped() -> None:
    html = render_markdown('<p class="lead" onclick="x">Hallo <b>Welt</b></p>').html
    assert html == "<p>Hallo <b>Welt</b></p>"


def test_micro_keeps_links_code_emphasis_breaks_and_our_syntax() -> None:
    source = "**Wichtig:** `code` _jetzt_ [Link](https://example.org)\n@anna #ÖPNV [[Start]] https://x.example"
    rendered = render_micro(source, Directory())
    assert rendered.html == (
        "<p><strong>Wichtig:</strong> <code>code</code> <em>jetzt</em> "
        '<a href="https://example.org" rel="nofollow noopener noreferrer">Link</a><br>\n'
        '<a class="mention" href="/people/anna">@anna</a> '
        '<a class="hashtag" href="/tags/öpnv">#ÖPNV</a> '
        '<a class="wiki-link" href="/wiki/Start">Start</a> '
        '<a href="https://x.example" rel="nofollow noopener noreferrer">https://x.example</a></p>'
    )
    assert (rendered.wiki_links, rendered.mentions, rendered.tags) == (
        ("Start",),
        ("anna",),
        ("öpnv",),
    )


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("# Heading", "<p># Heading</p>"),
        ("Heading\n===", "<p>Heading<br>\n===</p>"),
        ("- item", "<p>- item</p>"),
        ("1. item", "<p>1. item</p>"),
        ("> quote", "<p>&gt; quote</p>"),
        ("---", "<p>---</p>"),
        ("    indented", "<p>indented</p>"),
        ("![alt](/a.png)", "<p>![alt](/a.png)</p>"),
        ("| a |\n|---|", "<p>| a |<br>\n|---|</p>"),
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>"),
        ("<div>\nblock\n</div>", "<p>&lt;div&gt;<br>\nblock<br>\n&lt;/div&gt;</p>"),
        ("[x][r]\n\n[r]: /a", "<p>[x][r]</p>\n<p>[r]: /a</p>"),
    ],
)
def test_micro_shows_other_markup_as_typed(source: str, html: str) -> None:
    assert render_micro(source).html == html


def test_micro_tag_at_line_start_is_a_tag() -> None:
    assert render_micro("#Bürgerbüro heute zu").tags == ("bürgerbüro",)


def test_empty_source_renders_empty() -> None:
    assert render_markdown("").html == ""
    assert render_micro("").html == ""


def test_absurdly_deep_nesting_keeps_the_words_within_the_nesting_cap() -> None:
    from app.markup.finish import MAX_NESTING

    source = "*" * 3000 + "x" + "*" * 3000
    html = render_markdown(source).html
    assert "x" in html
    assert html.count("<strong>") + html.count("<em>") <= MAX_NESTING
    staircase = "\n".join("  " * depth + "- tief" for depth in range(200))
    lists = render_markdown(staircase).html
    assert lists.count("<ul>") == MAX_NESTING // 2  # each level is a <ul> and an <li>
    assert lists.count("tief") == 200


def test_a_line_of_markers_opens_only_so_many_levels_and_shows_the_rest() -> None:
    from app.markup.render import MAX_MARKERS_PER_LINE

    html = render_markdown(">" * 10_000 + " tief").html
    assert html.count("<blockquote>") == MAX_MARKERS_PER_LINE
    assert html.count("&gt;") == 10_000 - MAX_MARKERS_PER_LINE and "tief" in html


def test_a_flood_of_brackets_shows_as_typed_and_links_still_work() -> None:
    flood = "[[" * 20_000
    rendered = render_markdown(f"Siehe [[Vergabe]].\n\n{flood}\n\n[[Ende]]")
    assert rendered.wiki_links == ("Vergabe", "Ende")
    assert rendered.html.count("[") == 40_000


def test_code_past_the_highlighting_limit_shows_plain_in_the_same_box() -> None:
    from app.markup.highlight import MAX_HIGHLIGHTED_CHARS

    big = "```python\n" + "x = 1\n" * (MAX_HIGHLIGHTED_CHARS // 6 + 1) + "```"
    small = "```python\ndef f():\n    pass\n```"
    html = render_markdown(f"{big}\n\n{small}").html
    assert html.count('<div class="codehilite">') == 2
    assert "x = 1" in html and '<span class="n">x</span>' not in html
    assert '<span class="k">def</span>' in html


def test_footnotes_past_the_limit_show_their_number_without_links() -> None:
    from app.markup.finish import MAX_FOOTNOTES

    html = render_markdown("[^1]: Quelle.\n\n" + "Text[^1] " * (MAX_FOOTNOTES + 5)).html
    assert html.count('class="footnote-ref"') == MAX_FOOTNOTES
    assert html.count("<sup>1</sup>") == 5
    assert '<li id="fn-1">' in html


def test_footnote_definitions_past_the_limit_show_as_typed() -> None:
    from app.markup.finish import MAX_FOOTNOTES

    last = MAX_FOOTNOTES + 2
    source = "".join(f"[^{n}]: Quelle {n}\n\n" for n in range(1, last + 1))
    html = render_markdown(source).html
    assert f'<li id="fn-{MAX_FOOTNOTES}">' in html
    assert f'id="fn-{MAX_FOOTNOTES + 1}"' not in html
    assert f"[^{last}]: Quelle {last}" in html  # the words stay


def test_headings_past_the_limit_have_no_anchor() -> None:
    from app.markup.headings import MAX_ANCHORED_HEADINGS

    html = render_markdown("[TOC]\n\n" + "# Kapitel\n\n" * (MAX_ANCHORED_HEADINGS + 3)).html
    assert html.count("<h1 id=") == MAX_ANCHORED_HEADINGS
    assert html.count("<h1>Kapitel</h1>") == 3
    assert html.count('<li><a href="#h-kapitel') == MAX_ANCHORED_HEADINGS


def test_task_boxes_past_the_limit_show_as_typed() -> None:
    from app.markup.finish import MAX_TASKS

    html = render_markdown("- [x] erledigt\n" * (MAX_TASKS + 2)).html
    assert html.count('<input checked disabled type="checkbox">') == MAX_TASKS
    assert html.count("<li>[x] erledigt</li>") == 2
