"""Our syntax: [[wiki links]], @mentions and #tags, and what rendering reports of them."""

import pytest

from app.markup import normalize_tag, render_markdown, render_micro


class Directory:
    """A resolver over a tiny organisation: two pages, two people."""

    pages = frozenset({"Start", "Bürgerbüro"})
    people = frozenset({"anna", "max.mustermann"})

    def wiki_link(self, title: str) -> tuple[str, bool]:
        return f"/wiki/{title}", title in self.pages

    def mention(self, username: str) -> str | None:
        return f"/people/{username}" if username in self.people else None

    def tag(self, tag: str) -> str:
        return f"/tags/{tag}"


def test_wiki_link_to_existing_page() -> None:
    rendered = render_markdown("See [[Start]].", Directory())
    assert rendered.html == '<p>See <a class="wiki-link" href="/wiki/Start">Start</a>.</p>'
    assert rendered.wiki_links == ("Start",)


def test_wiki_link_with_label() -> None:
    html = render_markdown("[[Bürgerbüro|our office]]", Directory()).html
    assert html == '<p><a class="wiki-link" href="/wiki/Bürgerbüro">our office</a></p>'


def test_wiki_link_to_missing_page_is_marked_and_still_links() -> None:
    html = render_markdown("[[New page]]", Directory()).html
    assert html == '<p><a class="wiki-link wiki-missing" href="/wiki/New page">New page</a></p>'


def test_wiki_links_are_reported_in_order_once_and_stripped() -> None:
    source = "- [[ B ]]\n- [[A|x]]\n\n> [[C]]\n\n[[B]] [[A]]"
    assert render_markdown(source, Directory()).wiki_links == ("B", "A", "C")


def test_wiki_links_are_reported_in_document_order_across_nesting() -> None:
    # Python-Markdown processes nested elements out of order; the report must not.
    source = "- [[First]]\n    - [[Second]]\n\n[[Third]] **[[Fourth]]**"
    assert render_markdown(source, Directory()).wiki_links == ("First", "Second", "Third", "Fourth")


def test_without_resolver_wiki_link_is_plain_label_but_reported() -> None:
    rendered = render_markdown("See [[Start|the start]] now")
    assert rendered.html == "<p>See the start now</p>"
    assert rendered.wiki_links == ("Start",)


def test_empty_wiki_link_is_left_as_text() -> None:
    assert render_markdown("[[ ]]", Directory()).html == "<p>[[ ]]</p>"


def test_known_mention_links_profile_and_is_reported_lower_case() -> None:
    rendered = render_markdown("Ask @Anna.", Directory())
    assert rendered.html == '<p>Ask <a class="mention" href="/people/anna">@Anna</a>.</p>'
    assert rendered.mentions == ("anna",)


def test_mention_may_contain_dots_underscores_and_hyphens() -> None:
    rendered = render_markdown("cc @max.mustermann, @anna", Directory())
    assert rendered.mentions == ("max.mustermann", "anna")


def test_unknown_mention_stays_plain_text_and_is_not_reported() -> None:
    rendered = render_markdown("Hello @nobody", Directory())
    assert rendered.html == "<p>Hello @nobody</p>"
    assert rendered.mentions == ()


def test_without_resolver_mentions_are_plain_and_not_reported() -> None:
    rendered = render_markdown("Hello @anna")
    assert rendered.html == "<p>Hello @anna</p>"
    assert rendered.mentions == ()


@pytest.mark.parametrize("text", ["anna@example.org", "mail first.anna@example.org", "x/@anna"])
def test_email_addresses_and_paths_are_no_mentions(text: str) -> None:
    assert render_markdown(text, Directory()).mentions == ()


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("#Bürgerbüro", "bürgerbüro"),
        ("#ÖPNV", "öpnv"),
        ("#e-akte", "e-akte"),
        ("#Straße", "strasse"),
        ("#Привет", "привет"),
        ("#ελληνικά", "ελληνικά"),
        ("#東京", "東京"),
        ("#مرحبا", "مرحبا"),
        ("#हिन्दी", "हिन्दी"),
        ("#ภาษาไทย", "ภาษาไทย"),
        ("#מדינה", "מדינה"),
        ("#e_akte", "e_akte"),
        ("#Haushalt2025", "haushalt2025"),
    ],
)
def test_hashtags_in_any_script_link_their_page(written: str, tag: str) -> None:
    rendered = render_markdown(f"Zum Thema {written}.", Directory())
    link = f'<a class="hashtag" href="/tags/{tag}">{written}</a>'
    assert rendered.html == f"<p>Zum Thema {link}.</p>"
    assert rendered.tags == (tag,)


def test_hashtag_written_decomposed_is_reported_composed() -> None:
    assert render_markdown("#O\u0308PNV").tags == ("öpnv",)


@pytest.mark.parametrize(
    "text",
    [
        "&#123; and &#x6A;",
        "https://example.org/page#section",
        "see /wiki/page#part and page#part",
        "issue #1",
        "##double",
        "# heading",
        "C#",
    ],
)
def test_entities_fragments_numbers_and_headings_are_no_tags(text: str) -> None:
    assert render_markdown(text, Directory()).tags == ()


def test_hashtag_at_line_start_is_a_tag_not_a_heading() -> None:
    html = render_markdown("#Bürgerbüro ist umgezogen", Directory()).html
    assert html.startswith('<p><a class="hashtag"')


def test_hashtags_are_reported_once_in_order() -> None:
    assert render_markdown("#b #A #a #B-", Directory()).tags == ("b", "a")


def test_without_resolver_hashtag_is_plain_text_but_reported() -> None:
    rendered = render_markdown("Thema #ÖPNV heute")
    assert rendered.html == "<p>Thema #ÖPNV heute</p>"
    assert rendered.tags == ("öpnv",)


def test_hashtag_inside_emphasis() -> None:
    html = render_markdown("_#tag_", Directory()).html
    assert html == '<p><em><a class="hashtag" href="/tags/tag">#tag</a></em></p>'


@pytest.mark.parametrize(
    "source",
    [
        "`[[Start]] @anna #tag https://example.org`",
        "```\n[[Start]] @anna #tag https://example.org\n```",
        "    [[Start]] @anna #tag https://example.org",
    ],
)
def test_syntax_inside_code_is_left_alone(source: str) -> None:
    rendered = render_markdown(source, Directory())
    assert "<a" not in rendered.html
    assert "[[Start]] @anna #tag https://example.org" in rendered.html
    assert (rendered.wiki_links, rendered.mentions, rendered.tags) == ((), (), ())


def test_syntax_inside_code_span_is_left_alone_in_micro() -> None:
    rendered = render_micro("`[[Start]] @anna #tag`", Directory())
    assert rendered.html == "<p><code>[[Start]] @anna #tag</code></p>"
    assert (rendered.wiki_links, rendered.mentions, rendered.tags) == ((), (), ())


def test_no_link_inside_a_markdown_link() -> None:
    html = render_markdown("[ask @anna about #tag](/x)", Directory()).html
    assert html == '<p><a href="/x">ask @anna about #tag</a></p>'


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("#ÖPNV", "öpnv"),
        ("  öpnv ", "öpnv"),
        ("O\u0308PNV", "öpnv"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_normalize_tag(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag
