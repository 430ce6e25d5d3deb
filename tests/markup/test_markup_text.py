"""Plain text, excerpts and reading time from sanitised HTML."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.markup import excerpt, plain_text, reading_minutes, render_markdown


def test_plain_text_separates_blocks_and_keeps_inline_words_together() -> None:
    html = "<h1>Titel</h1><p>Ein <strong>fett</strong>er Satz.</p><ul><li>a</li><li>b</li></ul>"
    assert plain_text(html) == "Titel Ein fetter Satz. a b"


def test_plain_text_decodes_entities_and_collapses_whitespace() -> None:
    assert plain_text("<p>A &amp; B\n\n  &lt;C&gt;&nbsp;D</p>") == "A & B <C> D"


def test_plain_text_skips_table_of_contents_and_footnote_markers() -> None:
    html = render_markdown("[TOC]\n\n# Ziele\n\nText[^1].\n\n[^1]: Quelle.").html
    assert plain_text(html) == "Ziele Text. Quelle."


def test_plain_text_keeps_code() -> None:
    html = render_markdown("```python\nx = 1\n```").html
    assert plain_text(html) == "x = 1"


def test_plain_text_skips_nested_elements_of_the_skipped_kind() -> None:
    html = '<div class="toc"><div>inner</div>still toc</div><p>body</p>'
    assert plain_text(html) == "body"


@given(st.text(alphabet=st.characters(categories=["L", "Nd"]) | st.just(" "), max_size=80))
def test_plain_text_of_simple_rendered_text_is_the_text(text: str) -> None:
    assert plain_text(render_markdown(text).html) == " ".join(text.split())


def test_short_text_is_not_cut() -> None:
    assert excerpt("<p>Kurzer Text.</p>", 200) == "Kurzer Text."


def test_excerpt_cuts_at_a_word_boundary_with_ellipsis() -> None:
    assert excerpt("<p>Die Verwaltung der Stadt arbeitet</p>", 20) == "Die Verwaltung der…"


def test_excerpt_drops_dangling_punctuation() -> None:
    assert excerpt("<p>Erstens, zweitens und drittens</p>", 12) == "Erstens…"


def test_excerpt_cuts_a_single_long_word_hard() -> None:
    assert excerpt("<p>Donaudampfschifffahrtsgesellschaft</p>", 10) == "Donaudamp…"


@given(text=st.text(max_size=300), length=st.integers(min_value=1, max_value=250))
def test_excerpt_never_exceeds_its_length(text: str, length: int) -> None:
    assert len(excerpt(render_markdown(text).html, length)) <= length


def test_excerpt_rejects_a_length_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        excerpt("<p>x</p>", 0)


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (10, 1), (299, 1), (300, 2), (1000, 5)])
def test_reading_minutes_at_two_hundred_words_per_minute(words: int, minutes: int) -> None:
    assert reading_minutes("<p>" + "Wort " * words + "</p>") == minutes
