"""The audit log records what matters, cannot be changed, and admins filter and export it."""

import pytest

from app.accounts import service as accounts
from app.audit import service as audit
from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.spaces import service as spaces
from tests.factories import PASSWORD, make_space
from tests.web import csrf_token, sign_in, spreadsheet_rows


def actions() -> list[tuple[str, str, str]]:
    rows = db.session.query(AuditEntry).order_by(AuditEntry.id)
    return [(row.actor_name, row.action, row.subject) for row in rows]


def test_sign_ins_and_failures_are_recorded_with_the_address(client, member):
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "mia", "password": "nope", "csrf_token": token})
    client.post("/login", data={"username": "mia", "password": PASSWORD, "csrf_token": token})
    assert actions() == [("", "sign_in_failed", "user:mia"), ("mia", "sign_in", "user:mia")]
    assert db.session.query(AuditEntry).first().address == "127.0.0.1"


def test_role_membership_and_deactivation_changes_are_recorded(admin, owner, member):
    accounts.set_admin(admin, member, True)
    accounts.set_active(admin, member, False)
    space = make_space(owners=[owner])
    spaces.add_member(owner, space, "ada".replace("ada", "admin"))
    spaces.set_role(owner, space, "admin", "owner")
    spaces.remove_member(owner, space, "admin")
    recorded = [action for _actor, action, _subject in actions()]
    assert recorded == [
        "admin_granted",
        "user_deactivated",
        "member_added",
        "role_changed",
        "member_removed",
    ]


def test_a_refused_action_leaves_no_record(member, outsider):
    space = make_space(owners=[member])
    with pytest.raises(Forbidden):
        spaces.add_member(outsider, space, "olga")
    assert actions() == []


def test_the_log_is_append_only(admin, member):
    accounts.set_admin(admin, member, True)
    entry = db.session.query(AuditEntry).one()
    entry.action = "sign_in"
    with pytest.raises(Conflict):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.query(AuditEntry).one())
    with pytest.raises(Conflict):
        db.session.commit()
    db.session.rollback()
    assert db.session.query(AuditEntry).one().action == "admin_granted"


def test_admins_filter_by_person_action_and_period(client, admin, member, outsider):
    accounts.set_admin(admin, member, True)
    accounts.set_active(admin, outsider, False)
    sign_in(client, admin)
    page = client.get("/admin/audit/?action=user_deactivated").get_data(as_text=True)
    # In plain words, with names and links instead of codes.
    assert "deactivated an account" in page and "Olga Outsider" in page
    assert 'href="/people/olga"' in page
    assert "user:olga" not in page and "Mia Mitglied" not in page
    page = client.get("/admin/audit/?person=nobody").get_data(as_text=True)
    assert "No entries." in page
    page = client.get("/admin/audit/?since=2000-01-01&until=2000-12-31").get_data(as_text=True)
    assert "No entries." in page
    response = client.get("/admin/audit/?since=yesterday&action=<script>")
    assert response.status_code == 200
    assert "Not a date" in response.get_data(as_text=True)


def test_csv_export_is_for_admins_and_neutralises_formulas(client, admin, member):
    accounts.create_user(admin, accounts.NewUser("eve", "eve@example.org", "Eve", "long pw 123"))
    audit.record("settings_changed", actor=admin, subject="=cmd|' /C calc'!A0")
    db.session.commit()
    sign_in(client, admin)
    response = client.get("/admin/audit/export.csv?action=settings_changed")
    assert response.mimetype == "text/csv"
    rows = spreadsheet_rows(response)
    assert rows[0][:3] == ["time_utc", "actor", "action"]
    assert rows[1][3].startswith("'=")
    sign_in(client, member)
    assert client.get("/admin/audit/export.csv").status_code == 403
    assert client.get("/admin/audit/").status_code == 403


def test_deletion_and_restore_of_content_are_recorded(owner, admin, member):
    from app.microblog import service as microblog
    from app.wiki import service as wiki
    from tests.factories import make_micropost, make_page

    page = make_page("Alte Dienstanweisung", author=owner)
    wiki.delete_page(owner, page)
    wiki.restore_page(admin, page.id)
    post = make_micropost(member, "Falsch gepostet")
    microblog.delete_post(admin, post.id, reason="Doppelt")
    recorded = [(a, s) for _n, a, s in actions() if a.startswith("content_")]
    assert recorded == [
        ("content_deleted", f"wiki_page:{page.id}"),
        ("content_restored", f"wiki_page:{page.id}"),
        ("content_deleted", f"micropost:{post.id}"),
    ]
    removal = db.session.query(AuditEntry).filter_by(subject=f"micropost:{post.id}").one()
    assert "Doppelt" in removal.details


def test_the_log_names_spaces_and_content_and_says_when_they_are_gone(client, admin, owner):
    from app.spaces.models import Space
    from tests.factories import make_page, make_space

    space = make_space("Bauhof", owners=[owner])
    audit.record("space_created", actor=owner, subject=f"space:{space.id}", details={"name": "x"})
    page = make_page("Räumplan", author=owner)
    audit.record("content_deleted", actor=owner, subject=f"wiki_page:{page.id}")
    audit.record("content_deleted", actor=owner, subject="wiki_page:999999")
    db.session.commit()
    sign_in(client, admin)
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert f'href="/spaces/{space.slug}"' in html and ">Bauhof<" in html
    assert ">Räumplan<" in html and "content that no longer exists" in html
    assert "wiki_page:" not in html and "space:" not in html
    db.session.delete(db.session.get(Space, space.id))
    db.session.commit()
    assert "a space that no longer exists" in client.get("/admin/audit/").get_data(as_text=True)


def test_every_action_has_words():
    from app.audit import wording

    assert set(audit.ACTIONS) <= set(wording.ACTION_LABELS)


def test_the_log_shows_subjects_with_odd_digits_as_written(client, admin, owner):
    # "²" passes str.isdigit() but not int(); an id past the column's range would overflow.
    for subject in ("space:²", "wiki_page:²", "space:99999999999999999999"):
        audit.record("content_deleted", actor=owner, subject=subject)
    db.session.commit()
    sign_in(client, admin)
    response = client.get("/admin/audit/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "space:²" in html and "wiki_page:²" in html
