"""Usage guidelines: publishing (administrators, audited), accepting, and the gate."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.errors import Forbidden, Invalid
from app.guidelines import service as guidelines
from tests.factories import make_page, make_space, publish_guidelines
from tests.web import post_form, sign_in


def test_nobody_is_gated_while_no_guidelines_are_published(client, member):
    sign_in(client, member)
    assert client.get("/").status_code == 200
    assert not guidelines.needs_acceptance(member)


def test_publishing_is_for_administrators_and_audited(admin, member):
    page = make_page("Regeln", author=member)
    with pytest.raises(Forbidden):
        guidelines.publish(member, page.id)
    release = guidelines.publish(admin, page.id)
    assert release.version == 1 and release.page_revision == page.revision
    entry = guidelines_entry()
    assert entry.actor_id == admin.id and '"version": 1' in entry.details


def guidelines_entry():
    from app.extensions import db

    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == "guidelines_published"))


def test_guidelines_must_be_readable_by_everyone(admin, member):
    closed = make_space(visibility="members", members=[member])
    page = make_page("Intern", author=member, space=closed)
    with pytest.raises(Invalid):
        guidelines.publish(admin, page.id)


def test_signed_in_user_is_sent_to_accept_first(client, admin, member):
    publish_guidelines(admin, body="Keine <script>alert(1)</script> Werbung.", accepted=[admin])
    sign_in(client, member)
    response = client.get("/wiki/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/guidelines?next=/wiki/")
    page = client.get("/guidelines").get_data(as_text=True)
    assert "Werbung" in page and "<script>alert" not in page


def test_open_pages_are_not_gated(client, admin, member):
    publish_guidelines(admin, accepted=[admin])
    sign_in(client, member)
    assert client.get("/health").status_code == 200
    assert client.get("/static/css/kollegium.css").status_code == 200
    assert client.get("/guidelines").status_code == 200


def test_accepting_records_time_and_version_and_opens_the_house(client, admin, member):
    release = publish_guidelines(admin, accepted=[admin])
    sign_in(client, member)
    response = post_form(
        client,
        "/guidelines",
        {"version": release.version, "next": "/wiki/"},
        token_from="/guidelines",
    )
    assert response.status_code == 302 and response.headers["Location"] == "/wiki/"
    assert guidelines.has_accepted(member, release.version)
    assert client.get("/wiki/").status_code == 200


def test_a_new_version_must_be_accepted_again(client, admin, member):
    publish_guidelines(admin, accepted=[admin, member])
    sign_in(client, member)
    assert client.get("/").status_code == 200
    page = make_page("Regeln 2", author=admin)
    guidelines.publish(admin, page.id)
    assert client.get("/").status_code == 302
    assert guidelines.needs_acceptance(member)


def test_accepting_an_outdated_version_is_refused(admin, member):
    publish_guidelines(admin)
    guidelines.publish(admin, make_page("Neu", author=admin).id)
    with pytest.raises(Invalid):
        guidelines.accept(member, 1)
    assert guidelines.accept(member, 2).version == 2


def test_admin_page_shows_who_accepted_which_version(client, admin, member, owner):
    publish_guidelines(admin, accepted=[admin, member])
    sign_in(client, admin)
    page = client.get("/admin/guidelines").get_data(as_text=True)
    assert "Mia Mitglied" in page and "Otto Owner" in page
    assert "none yet" in page
    sign_in(client, member)
    assert client.get("/admin/guidelines").status_code == 403


def test_admin_publishes_through_the_form(client, admin):
    page = make_page("Richtlinien", author=admin)
    sign_in(client, admin)
    response = post_form(
        client, "/admin/guidelines", {"page_id": page.id}, token_from="/admin/guidelines"
    )
    assert response.status_code == 302
    assert guidelines.current_version() == 1


def test_api_is_not_gated(client, admin, member):
    from tests.factories import make_token
    from tests.web import bearer

    publish_guidelines(admin, accepted=[admin])
    token = make_token(member)
    assert client.get("/api/v1/spaces", headers=bearer(token)).status_code == 200


def test_acceptance_page_shows_the_published_revision(client, admin, member):
    from tests.factories import edit_page

    release = publish_guidelines(admin, body="Fassung eins.", accepted=[admin])
    edit_page(release.page, admin, "Unveröffentlichter Entwurf.")
    sign_in(client, member)
    html = client.get("/guidelines").get_data(as_text=True)
    assert "Fassung eins." in html and "Unveröffentlichter Entwurf." not in html
