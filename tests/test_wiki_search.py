"""Wiki search documents, as plain functions."""

from app.wiki import listings, search
from app.wiki import service as wiki
from tests.factories import edit_page, make_page, make_space


def test_document_carries_editors_acl_and_plain_text(app, member, owner):
    space = make_space(visibility="members", members=[member, owner])
    page = make_page(
        "Beschaffung", author=member, space=space, body="**Vergaberecht** #vergabe", tags="recht"
    )
    edit_page(page, owner, "**Vergaberecht** nach UVgO #vergabe")
    with app.test_request_context():
        document = search.document_for(page)
    assert document.key == f"wiki:{page.id}" and document.kind == "wiki"
    assert document.people == tuple(sorted({member.id, owner.id}))
    assert document.author == member.id
    assert document.acl == (f"space:{space.id}",)
    assert "<strong>" not in document.body and "Vergaberecht nach UVgO" in document.body
    assert set(document.tags) == {"recht", "vergabe"}
    assert document.url == f"/wiki/spaces/{space.slug}/beschaffung"


def test_deleted_pages_and_templates_leave_the_index(app, member):
    page = make_page(author=member)
    kept = make_page(author=member)
    wiki.delete_page(member, page)
    listings.template_choices(member, None, "de")  # creates the built-in templates
    with app.test_request_context():
        assert search.document_for(page) is None
        assert [d.key for d in search.all_documents()] == [f"wiki:{kept.id}"]
