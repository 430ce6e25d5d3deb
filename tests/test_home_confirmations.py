"""Read confirmations on announcements: who may ask, confirming, the author's overview, and
the reminder on the home page."""

import pytest

from app.confirmations import service as confirmations
from app.errors import Forbidden, Invalid, NotFound
from tests.factories import make_blog, make_post, make_space, make_user
from tests.web import post_form, sign_in


def announcement(owner, members, visibility="members"):
    space = make_space(visibility=visibility, owners=[owner], members=members)
    blog = make_blog(space=space)
    return make_post(blog, owner, "Neue Dienstanweisung")


def test_space_owner_asks_and_members_confirm(owner, member):
    post = announcement(owner, [member])
    target = f"blog_post:{post.id}"
    confirmations.request_confirmation(owner, target)
    assert [r.title for r in confirmations.pending_for(member)] == ["Neue Dienstanweisung"]
    confirmations.confirm(member, target)
    confirmations.confirm(member, target)  # twice is once
    assert confirmations.pending_for(member) == []
    report = confirmations.report(owner, target)
    assert [user.username for user, _when in report.confirmed] == ["mia"]
    assert report.missing == []


def test_report_lists_only_those_who_may_read(owner, member, outsider, admin):
    post = announcement(owner, [member])
    target = f"blog_post:{post.id}"
    confirmations.request_confirmation(owner, target)
    missing = {user.username for user in confirmations.report(owner, target).missing}
    assert missing == {"mia", "admin"}  # the outsider may not read it


def test_members_may_not_ask_and_outsiders_see_nothing(owner, member, outsider):
    post = announcement(owner, [member])
    target = f"blog_post:{post.id}"
    with pytest.raises(Forbidden):
        confirmations.request_confirmation(member, target)
    confirmations.request_confirmation(owner, target)
    with pytest.raises(NotFound):
        confirmations.confirm(outsider, target)
    with pytest.raises(Forbidden):
        confirmations.report(member, target)
    assert confirmations.pending_for(outsider) == []


def test_only_announcements_can_ask(admin):
    from tests.factories import make_page

    page = make_page(author=admin)
    with pytest.raises(Invalid):
        confirmations.request_confirmation(admin, f"wiki_page:{page.id}")
    with pytest.raises(Invalid):
        confirmations.request_confirmation(admin, "nonsense")


def test_drafts_cannot_ask(owner):
    space = make_space(owners=[owner])
    post = make_post(make_blog(space=space), owner, status="draft")
    with pytest.raises(Invalid):
        confirmations.request_confirmation(owner, f"blog_post:{post.id}")


def test_one_click_flow_and_home_reminder(client, owner, member):
    post = announcement(owner, [member], visibility="public")
    sign_in(client, owner)
    page = client.get(post.url).get_data(as_text=True)
    assert "Ask readers to confirm they read this" in page
    post_form(
        client,
        "/confirmations/request",
        {"target": f"blog_post:{post.id}", "next": post.url},
        token_from=post.url,
    )
    assert "0 of 1 readers confirmed." in client.get(post.url).get_data(as_text=True)

    sign_in(client, member)
    home = client.get("/").get_data(as_text=True)
    assert "Please confirm that you read" in home and "Neue Dienstanweisung" in home
    response = post_form(
        client,
        "/confirmations/confirm",
        {"target": f"blog_post:{post.id}", "next": "https://evil.example/"},
        token_from=post.url,
    )
    assert response.headers["Location"] == "/"
    assert "Neue Dienstanweisung" not in client.get("/").get_data(as_text=True)

    sign_in(client, owner)
    report = client.get(f"/confirmations/report?target=blog_post:{post.id}")
    assert "Mia Mitglied" in report.get_data(as_text=True)


def test_deactivated_people_are_not_counted(owner, member):
    leaver = make_user("lea")
    post = announcement(owner, [member, leaver])
    target = f"blog_post:{post.id}"
    confirmations.request_confirmation(owner, target)
    leaver.active = False
    from app.extensions import db

    db.session.commit()
    assert "lea" not in {u.username for u in confirmations.report(owner, target).missing}


def test_pinned_micropost_can_ask_unpinned_cannot(admin, member):
    from app.microblog import service as microblog
    from tests.factories import make_micropost

    post = make_micropost(admin, "Bitte lesen: neue Öffnungszeiten")
    with pytest.raises(Invalid):
        confirmations.request_confirmation(admin, f"micropost:{post.id}")
    microblog.pin_post(admin, post.id)
    confirmations.request_confirmation(admin, f"micropost:{post.id}")
    assert [r.url for r in confirmations.pending_for(member)] == [f"/stream/posts/{post.id}"]


def test_no_reminder_for_deleted_or_own_announcements(admin, owner, member):
    from app.blog import service as blog

    space = make_space(owners=[owner], members=[member])
    own = make_post(make_blog(space=space), owner, "Von Otto selbst")
    gone = make_post(make_blog(space=space), owner, "Zurückgezogen")
    confirmations.request_confirmation(admin, f"blog_post:{own.id}")
    confirmations.request_confirmation(owner, f"blog_post:{gone.id}")
    assert confirmations.pending_for(owner) == []
    assert [r.title for r in confirmations.pending_for(member)] == [
        "Zurückgezogen",
        "Von Otto selbst",
    ]
    blog.delete_post(owner, gone)
    assert [r.title for r in confirmations.pending_for(member)] == ["Von Otto selbst"]
