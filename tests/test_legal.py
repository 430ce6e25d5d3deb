"""Accessibility statement, privacy notice and imprint: open to all, edited by admins,
linked from every page."""

import pytest

from app.errors import Forbidden, Invalid
from app.legal import service
from tests.web import post_form, sign_in


@pytest.mark.parametrize("key", ["accessibility", "privacy", "imprint"])
def test_pages_are_open_before_signing_in_and_linked_in_the_footer(client, key):
    response = client.get(f"/about/{key}")
    assert response.status_code == 200
    assert f'href="/about/{key}"' in client.get("/login").get_data(as_text=True)


def test_starting_text_follows_the_language(client):
    german = client.get("/about/accessibility", headers={"Accept-Language": "de"})
    assert "Erklärung zur Barrierefreiheit" in german.get_data(as_text=True)
    assert client.get("/about/unknown").status_code == 404


def test_admin_edits_and_everyone_reads(client, admin, member):
    sign_in(client, admin)
    response = post_form(
        client,
        "/admin/pages/imprint",
        {"body": "**Stadt Musterstadt**, Rathausplatz 1 <script>alert(1)</script>"},
        token_from="/admin/pages/imprint",
    )
    assert response.status_code == 302
    page = client.get("/about/imprint").get_data(as_text=True)
    assert "<strong>Stadt Musterstadt</strong>" in page
    assert "<script>alert" not in page
    sign_in(client, member)
    assert client.get("/admin/pages/imprint").status_code == 403


def test_empty_text_is_refused_and_shown_again(client, admin):
    sign_in(client, admin)
    response = post_form(
        client, "/admin/pages/privacy", {"body": "   "}, token_from="/admin/pages/privacy"
    )
    assert response.status_code == 200
    assert "Write between 1 and" in response.get_data(as_text=True)


def test_rules(admin, member):
    with pytest.raises(Forbidden):
        service.update(member, "privacy", "Text")
    with pytest.raises(Invalid):
        service.update(admin, "privacy", "x" * (service.MAX_BODY + 1))
    assert service.update(admin, "privacy", "Neu").is_default is False
