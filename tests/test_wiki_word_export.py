"""A page or a whole space as a Word document: read back with python-docx."""

import io

from docx import Document

from app.wiki import attachments
from app.wiki import service as wiki
from tests.documents import png
from tests.factories import make_page, make_space
from tests.web import sign_in

BODY = """## Zuständigkeit

Das **Bauamt** prüft den Antrag, siehe [Satzung](https://example.org/satzung) und `§ 34 BauGB`.

- Unterlagen anfordern
    - Lageplan
- Frist setzen

1. Eingang
2. Bescheid

| Schritt | Frist |
|---|---|
| Prüfung | 3 Tage |

```
antrag.pruefen()
```
"""

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read(response) -> Document:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == DOCX_TYPE
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return Document(io.BytesIO(response.data))


def headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


def test_a_page_keeps_its_headings_lists_table_link_code_and_image(client, member):
    page = make_page("Bauantrag", author=member, body="Entwurf")
    plan = attachments.attach_image(member, page, io.BytesIO(png(40, 30)), "plan.png")
    image = f"/wiki/pages/{page.id}/files/{plan.id}/plan.png?inline=1"
    wiki.update_page(
        member,
        page,
        wiki.PageEdit(
            title=page.title,
            body=BODY + f"\n![Lageplan]({image})\n",
            base_revision=page.revision,
            tags="",
            parent_id=None,
            space_id=None,
        ),
    )
    sign_in(client, member)
    document = read(client.get(f"/wiki/pages/{page.id}/export.docx"))
    assert headings(document) == [("Heading 1", "Bauantrag"), ("Heading 2", "Zuständigkeit")]
    texts = {p.text: p for p in document.paragraphs}
    intro = next(p for p in document.paragraphs if p.text.startswith("Das Bauamt"))
    assert intro.text == "Das Bauamt prüft den Antrag, siehe Satzung und § 34 BauGB."
    assert [run.text for run in intro.runs if run.bold] == ["Bauamt"]
    assert any(run.font.name == "Courier New" for run in intro.runs)
    links = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert links == ["https://example.org/satzung"]
    assert texts["Unterlagen anfordern"].style.name == "List Bullet"
    assert texts["Lageplan"].style.name == "List Bullet 2"
    assert texts["Bescheid"].style.name == "List Number"
    [table] = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Schritt", "Frist"],
        ["Prüfung", "3 Tage"],
    ]
    assert "antrag.pruefen()" in texts
    assert len(document.inline_shapes) == 1
    assert document.core_properties.title == "Bauantrag"


def test_a_space_export_holds_only_the_pages_the_reader_may_read(client, member, outsider):
    space = make_space("Ordnungsamt", visibility="public", members=[member])
    parent = make_page("Handbuch", author=member, space=space, body="# Einleitung\n\nText.")
    make_page("Gewerbe", author=member, space=space, parent=parent, body="Anmeldung.")
    gone = make_page("Alter Stand", author=member, space=space, body="Veraltet.")
    wiki.delete_page(member, gone)
    # An image from a members-only page that the outsider cannot read is not copied in.
    secret = make_space("Personalrat", visibility="members", members=[member])
    hidden = make_page("Intern", author=member, space=secret)
    photo = attachments.attach_image(member, hidden, io.BytesIO(png()), "foto.png")
    make_page(
        "Aushang",
        author=member,
        space=space,
        body=f"![Foto intern](/wiki/pages/{hidden.id}/files/{photo.id}/foto.png)",
    )

    sign_in(client, outsider)
    document = read(client.get(f"/wiki/export.docx?space={space.id}"))
    assert headings(document) == [
        ("Title", "Ordnungsamt"),
        ("Heading 1", "Handbuch"),
        ("Heading 2", "Einleitung"),
        ("Heading 2", "Gewerbe"),
        ("Heading 1", "Aushang"),
    ]
    assert len(document.inline_shapes) == 0
    assert "[Foto intern]" in [p.text for p in document.paragraphs]
    assert client.get(f"/wiki/export.docx?space={secret.id}").status_code == 404
    assert client.get(f"/wiki/pages/{hidden.id}/export.docx").status_code == 404

    sign_in(client, member)
    document = read(client.get(f"/wiki/export.docx?space={space.id}"))
    assert len(document.inline_shapes) == 1
    page = client.get(parent.url).get_data(as_text=True)
    assert f"/wiki/pages/{parent.id}/export.docx" in page
    index = client.get(f"/wiki/?space={space.id}").get_data(as_text=True)
    assert f"/wiki/export.docx?space={space.id}" in index


def test_markup_nested_thousands_deep_keeps_its_text():
    from app.wiki.word_export import WordWriter

    writer = WordWriter(image_for=lambda src: None, absolute=lambda href: href)
    deep = "<div>" * 3000 + "<p>" + "<em>" * 3000 + "Grundwasser" + "</em>" * 3000 + "</p>"
    writer.add_page("Tief", deep + "</div>" * 3000)
    document = Document(writer.save("Tief"))
    assert any(p.text == "Grundwasser" for p in document.paragraphs)


def test_an_image_address_with_an_impossible_id_is_left_out(client, member):
    huge = "9" * 30
    page = make_page("Plan", author=member, body=f"![Plan](/wiki/pages/1/files/{huge}/a.png)")
    sign_in(client, member)
    assert len(read(client.get(f"/wiki/pages/{page.id}/export.docx")).inline_shapes) == 0
