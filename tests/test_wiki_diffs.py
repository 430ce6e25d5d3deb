"""Comparisons stay right and take time near-linear in the page, however large or odd."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.wiki.diffs import opcodes, word_diff
from tests.factories import edit_page, make_page
from tests.web import sign_in


def sides(segments) -> tuple[str, str]:
    """The old and the new text a reader can rebuild from the segments."""
    old = "".join(s.text for s in segments if s.kind in ("same", "removed"))
    new = "".join(s.text for s in segments if s.kind in ("same", "added"))
    return old, new


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=60), st.lists(st.sampled_from("abcde")))
def test_opcodes_turn_the_old_sequence_into_the_new(a, b):
    rebuilt, position_a, position_b = [], 0, 0
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        assert (i1, j1) == (position_a, position_b)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
        position_a, position_b = i2, j2
    assert rebuilt == b and (position_a, position_b) == (len(a), len(b))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n\r\tä", max_size=200), st.text(alphabet="ab \n\r\tä", max_size=200))
def test_word_diff_shows_both_texts(old, new):
    normal = [t.replace("\r\n", "\n").replace("\r", "\n") for t in (old, new)]
    rebuilt = sides(word_diff(old, new))
    assert [r.rstrip("\n") for r in rebuilt] == [n.rstrip("\n") for n in normal]


def big_page(words: int = 60_000) -> str:
    """Numbered lines of distinct words, about 9 words a line."""
    return "".join(
        f"Absatz {n} regelt die Frist{n} für Antrag{n} und Bescheid{n} im Amt{n % 7}.\n"
        for n in range(words // 9)
    )


def test_large_page_shows_exactly_the_words_that_changed():
    old = big_page()
    new = (
        old.replace("Frist10 ", "Frist10a ")
        .replace("Antrag5000 ", "")
        .replace("Bescheid6000 ", "Bescheid6000 neu ")
    )
    segments = word_diff(old, new)
    assert sides(segments) == (old, new)
    changed = [(s.kind, s.text) for s in segments if s.kind != "same"]
    assert changed == [
        ("removed", "Frist10"),
        ("added", "Frist10a"),
        ("removed", "Antrag5000 "),
        ("added", "neu "),
    ]


def test_rewritten_page_is_shown_whole_and_right():
    old = big_page()
    new = "".join(reversed(old.splitlines(keepends=True)))
    assert sides(word_diff(old, new)) == (old, new)
    repeated_old, repeated_new = "a " * 100_000, "b " * 50_000 + "a " * 100_000
    assert sides(word_diff(repeated_old, repeated_new)) == (
        repeated_old + "\n",
        repeated_new + "\n",
    )


def test_compare_page_of_the_largest_size_marks_the_change(client, member):
    old = big_page(60_000)[:499_000]
    page = make_page(author=member, body=old)
    edit_page(page, member, old.replace("Frist4321 ", "Frist4322 "))
    sign_in(client, member)
    for mode in ("words", "lines"):
        response = client.get(f"/wiki/pages/{page.id}/compare?from=1&to=2&mode={mode}")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert len(re.findall(r"<del>", text)) == 1 and len(re.findall(r"<ins>", text)) == 1
        assert "Frist4322" in text.split("<ins>")[1].split("</ins>")[0]
