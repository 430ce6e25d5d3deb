import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.privacy import service
from app.privacy.pseudonyms import Pseudonym
from app.profiles.avatars import AVATAR_SIZES, avatar_path
from app.profiles.certificates import certificate_path
from app.profiles.models import Profile
from app.social import service as social
from app.social.models import Follow, Like, Notification
from app.wiki import service as wiki
from tests.factories import make_colleague_with_history, make_profile, make_user
from tests.web import post_form, sign_in

NAMES = ("erika.muster", "Erika Mustermann", "erika.muster@example.org")


def deactivated_colleague():
    user, what = make_colleague_with_history()
    user.active = False
    db.session.commit()
    return user, what


def all_stored_text(*, except_tables=("audit_entries",)) -> dict[str, str]:
    """Every column of every row of every table, as text, by table."""
    found = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name in except_tables:
                continue
            rows = connection.execute(table.select()).all()
            found[table.name] = "\n".join(" | ".join(str(value) for value in row) for row in rows)
    return found


def tables_mentioning(name: str) -> list[str]:
    return [table for table, text in all_stored_text().items() if name.lower() in text.lower()]


def test_erased_name_username_and_email_appear_in_no_table(app, admin):
    user, _what = deactivated_colleague()
    assert tables_mentioning("erika.muster")  # the test can see them before

    service.erase_user(admin, user)

    for name in NAMES:
        assert tables_mentioning(name) == [], name


def test_erasure_removes_private_data(app, admin):
    user, what = deactivated_colleague()
    user_id, version = user.id, user.session_version

    service.erase_user(admin, user)

    erased = db.session.get(User, user_id)
    assert erased.username == f"former-{user_id}"
    assert erased.email == f"former-{user_id}@invalid"
    assert erased.display_name == f"Former colleague #{user_id}"
    assert erased.password_hash is None
    assert erased.session_version == version + 1
    assert erased.tokens == []
    assert db.session.scalar(select(Profile).where(Profile.user_id == user_id)) is None
    assert db.session.scalars(select(Like).where(Like.user_id == user_id)).all() == []
    assert db.session.scalars(select(Follow).where(Follow.user_id == user_id)).all() == []
    assert db.session.scalars(select(Follow).where(Follow.target_kind == "user")).all() == []
    others = db.session.scalars(select(Notification)).all()
    assert others and {(n.user_id, n.actor_id) for n in others} == {(what["colleague"].id, None)}
    for size in AVATAR_SIZES:
        assert not avatar_path(what["avatar_hash"], size).exists()
    assert not certificate_path(what["certificate_hash"]).exists()


def test_work_stays_readable_and_mentions_follow_the_pseudonym(app, admin, member):
    user, what = deactivated_colleague()

    service.erase_user(admin, user)

    page = wiki.get_page(member, what["mentioning_page"].id)
    assert f"@former-{user.id}" in page.body
    assert f'href="/people/former-{user.id}"' in page.body_html
    own_page = wiki.get_page(member, what["own_page"].id)
    assert own_page.author_id == user.id and own_page.body == "Wie wir vergeben."
    comments = social.comments_on(member, f"blog_post:{what['own_post'].id}")
    assert f"@former-{user.id}" in comments[0].body_html
    assert db.session.get(type(what["own_post"]), what["own_post"].id).author_id == user.id


def test_profile_of_an_erased_colleague_shows_only_the_pseudonym(app, admin, client, member):
    user, _what = deactivated_colleague()
    service.erase_user(admin, user)
    sign_in(client, member)

    page = client.get(f"/people/former-{user.id}").get_data(as_text=True)

    assert f"Former colleague #{user.id}" in page
    assert f"/stream/people/former-{user.id}" in page  # their stream posts
    assert f"person=former-{user.id}" in page  # their wiki changes
    for private in ("Zimmer 4.12", "1234-567", "Vergaberecht", "@invalid", "vCard", *NAMES):
        assert private not in page


def test_a_photo_someone_else_uses_is_kept(app, admin):
    user, what = deactivated_colleague()
    make_profile(make_user("twin"), avatar_hash=what["avatar_hash"])

    service.erase_user(admin, user)

    assert avatar_path(what["avatar_hash"], AVATAR_SIZES[0]).exists()


def test_attribute_mode_keeps_the_display_name_but_nothing_else(app, admin):
    app.config["ERASURE_MODE"] = "attribute"
    user, _what = deactivated_colleague()

    service.erase_user(admin, user)

    assert user.display_name == "Erika Mustermann"
    assert user.username == f"former-{user.id}"
    assert tables_mentioning("erika.muster") == []
    assert db.session.scalar(select(Profile).where(Profile.user_id == user.id)) is None


def test_only_administrators_erase(app, member):
    user, _what = deactivated_colleague()

    with pytest.raises(Forbidden):
        service.erase_user(member, user)
    assert user.username == "erika.muster"


def test_only_deactivated_accounts_are_erased(app, admin, member):
    with pytest.raises(Conflict):
        service.erase_user(admin, member)
    assert member.username == "mia"


def test_an_erased_account_is_not_erased_twice(app, admin, former):
    service.erase_user(admin, former)

    with pytest.raises(Conflict):
        service.erase_user(admin, former)


def test_erasure_is_audited_and_the_record_cannot_be_changed(app, admin, former):
    former_id = former.id

    service.erase_user(admin, former)

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user_erased"))
    assert entry.subject == f"user:{former_id}"
    assert entry.actor_id == admin.id
    assert '"username": "fritz"' in entry.details
    entry.details = "{}"
    with pytest.raises(Conflict):
        db.session.commit()
    db.session.rollback()


def test_admin_confirms_erasure_on_a_page_naming_the_consequences(client, admin, former):
    sign_in(client, admin)
    listing = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{former.id}/erase" in listing

    confirm = client.get(f"/admin/users/{former.id}/erase").get_data(as_text=True)
    assert "cannot be undone" in confirm
    assert "Former colleague #" in confirm

    response = post_form(client, f"/admin/users/{former.id}/erase", {}, token_from="/admin/users")
    assert response.status_code == 302
    assert db.session.get(User, former.id).username == f"former-{former.id}"


def test_active_accounts_offer_no_erasure(client, admin, member):
    sign_in(client, admin)

    page = client.get(f"/admin/users/{member.id}/erase").get_data(as_text=True)
    response = post_form(client, f"/admin/users/{member.id}/erase", {}, token_from="/admin/users")

    assert "Deactivate the account first" in page
    assert response.status_code == 409
    assert db.session.get(User, member.id).username == "mia"


def test_members_may_not_open_the_erasure_page(client, member, former):
    sign_in(client, member)

    assert client.get(f"/admin/users/{former.id}/erase").status_code == 403
    response = post_form(client, f"/admin/users/{former.id}/erase", {})
    assert response.status_code == 403
    assert db.session.get(User, former.id).username == "fritz"


def test_mentions_are_rewritten_only_where_they_name_the_person(app):
    pseudonym = Pseudonym(1, "anna", "former-1", "former-1@invalid", "Former colleague #1")

    assert pseudonym.rewrite_source("@anna, @annabel, anna@x.de, @Anna. _@anna_ @anna.de") == (
        "@former-1, @annabel, anna@x.de, @former-1. _@former-1_ @anna.de"
    )


def test_mention_links_in_html_lead_to_the_pseudonym(app):
    pseudonym = Pseudonym(1, "anna", "former-1", "former-1@invalid", "Former colleague #1")
    html = '<p><a class="mention" href="/people/anna">@Anna</a> and /people/annabel</p>'

    assert pseudonym.rewrite_html(html) == (
        '<p><a class="mention" href="/people/former-1">@former-1</a> and /people/annabel</p>'
    )


def test_erased_names_are_gone_from_the_search_index(app, admin):
    """The search index follows the erasure: no result, snippet or expert names the erased
    person any more (the outbox carries every changed document to the index)."""
    from app.search import service as search

    user, _what = deactivated_colleague()

    def findings(word: str) -> str:
        results = search.search(admin, word)
        shown = [(r.hit.title, r.hit.snippet_html) for r in results.results]
        experts = [e.user.display_name for e in search.find_experts(admin, word)]
        return repr((shown, experts)).lower()

    assert "mustermann" in findings("Mustermann")  # the test can see the name before
    service.erase_user(admin, user)
    for word in ("Mustermann", "Erika", "erika.muster"):
        found = findings(word)
        for name in NAMES:
            assert name.lower() not in found, (word, name)
