"""Constructs that used to take quadratic (or worse) time render right, and bench/markup.py
measures them at the largest size."""

from app.markup import render_markdown


def test_thousands_of_headings_in_one_block_are_each_a_heading():
    rendered = render_markdown("# Kapitel\n" * 5000)
    assert rendered.html.count("<h1") == 5000


def test_setext_headings_and_rules_keep_their_meaning():
    html = render_markdown("Titel\n=====\nText\n\nUnter\n-----\nmehr\n***\nEnde").html
    assert "<h1" in html and ">Titel</h1>" in html
    assert ">Unter</h2>" in html
    assert "<hr>" in html and "<p>Ende</p>" in html
    assert "<p>Text</p>" in html and "<p>mehr</p>" in html


def test_heading_inside_a_paragraph_splits_it_as_before():
    html = render_markdown("erste Zeile\n## Mitte\nletzte Zeile").html
    assert html.startswith("<p>erste Zeile</p>")
    assert ">Mitte</h2>" in html and html.endswith("<p>letzte Zeile</p>")


def test_heading_lines_in_code_stay_code():
    html = render_markdown("```\n# kein Titel\n---\n```\n\n    # auch nicht").html
    assert "<h1" not in html and "<hr" not in html
    assert "# kein Titel" in html and "# auch nicht" in html


def test_runs_of_markers_that_are_no_rule_render_at_once():
    # A rule pattern with nested repetition took exponential time on these.
    for source in ("*" * 28 + "x" + "*" * 28, "-" * 50_000 + "x", "_ " * 20_000 + "x"):
        assert render_markdown(source).html
