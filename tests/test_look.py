"""The look's rules that a page shows: a password chosen by an administrator is replaced
first, the admin list finds people, the first-steps checklist, the icon, the date formats."""

from datetime import timedelta

from app.accounts import service
from app.clock import utcnow
from app.extensions import db
from app.home import checklist
from app.i18n import absolute_time, relative_time
from app.social import service as social
from tests.factories import PASSWORD, give_skill, make_micropost, make_space, make_user
from tests.web import csrf_token, post_form, sign_in


def test_a_password_set_by_an_administrator_is_replaced_before_anything_else(client, admin):
    made = service.create_user(
        admin, service.NewUser("nele", "nele@example.org", "Nele Neu", "the admin knows this")
    )
    assert made.must_change_password
    token = csrf_token(client, "/login")
    data = {"username": "nele", "password": "the admin knows this", "csrf_token": token}
    client.post("/login", data=data)
    for path in ("/", "/stream/", "/wiki/", "/people/"):
        response = client.get(path)
        assert response.status_code == 302 and response.location == "/settings/password"
    assert "choose your own password" in client.get("/settings/password").get_data(as_text=True)
    post_form(
        client,
        "/settings/password",
        {
            "current_password": "the admin knows this",
            "new_password": "only I know this one",
            "confirm": "only I know this one",
        },
        token_from="/settings/password",
    )
    db.session.refresh(made)
    assert not made.must_change_password
    assert client.get("/").status_code == 200


def test_accounts_from_the_command_line_need_no_new_password(app):
    made = service.create_user(None, service.NewUser("cli", "cli@example.org", "Cli", PASSWORD))
    assert not made.must_change_password


def test_admin_user_list_searches_literally_and_pages(client, admin):
    for number in range(25):
        make_user(f"kollege{number:02d}", display_name=f"Kollege Nummer {number:02d}")
    make_user("percent", display_name="Hundert % Sicher")
    sign_in(client, admin)
    page = client.get("/admin/users?q=nummer+07").get_data(as_text=True)
    assert "Kollege Nummer 07" in page and "Kollege Nummer 08" not in page
    literal = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "Hundert % Sicher" in literal and "Kollege Nummer 01" not in literal
    first = client.get("/admin/users?q=kollege").get_data(as_text=True)
    assert "25 people" in first and 'aria-label="Pages"' in first
    assert "q=kollege" in first.split('aria-label="Pages"')[1]
    nobody = client.get("/admin/users?q=%3Cscript%3E").get_data(as_text=True)
    assert "Nobody matches" in nobody and "<script>" not in nobody
    deactivated = client.get("/admin/users?status=deactivated").get_data(as_text=True)
    assert "Kollege Nummer" not in deactivated


def test_first_steps_disappear_when_done_and_come_back_when_undone(app, member):
    from app.profiles import service as profiles

    def done() -> list[bool]:
        with app.test_request_context():
            return [step.done for step in checklist.first_steps(member)]

    assert done() == [False, False, False, False]
    make_space("Chor", kind="community", members=[member])
    social.follow(member, "tag:winterdienst")
    make_micropost(member, "Hallo!")
    assert done() == [False, True, True, True]
    give_skill(member, "Chorleitung", 3)
    profiles.set_avatar(member, member, "a" * 64)
    db.session.commit()
    assert done() == []
    profiles.set_avatar(member, member, None)
    db.session.commit()
    assert done() == [False, True, True, True]


def test_home_shows_the_checklist_to_newcomers_only(client, member):
    sign_in(client, member)
    assert "Your first steps in Kollegium" in client.get("/").get_data(as_text=True)


def test_the_icon_is_served_to_everyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert client.get("/static/img/kollegium.svg").status_code == 200


def test_recent_times_are_relative_older_ones_absolute(app):
    with app.test_request_context():
        now = utcnow()
        assert relative_time(now) == "gerade eben"
        assert relative_time(now - timedelta(minutes=5)) == "vor 5 Min."
        old = now - timedelta(days=30)
        assert relative_time(old) == absolute_time(old)
        assert ":" in absolute_time(old) and absolute_time(old).count(":") == 1  # no seconds


def test_pages_show_faces_and_dates_with_the_exact_time_on_hover(client, member, outsider):
    make_micropost(outsider, "Guten Morgen!")
    sign_in(client, member)
    page = client.get("/stream/?tab=all").get_data(as_text=True)
    assert 'class="face face-40 face-c' in page and ">OO<" in page
    assert '<time datetime="' in page and 'title="' in page


def test_the_composer_sent_in_the_background_learns_where_to_go(client, member):
    sign_in(client, member)
    token = csrf_token(client, "/stream/")
    data = {"body": "Hallo aus dem Hintergrund", "next": "/stream/?tab=all", "csrf_token": token}
    response = client.post("/stream/", data=data, headers={"X-Composer": "1"})
    assert response.status_code == 200 and response.get_json() == {"url": "/stream/?tab=all"}
    # The notice waits for the page the composer goes to.
    assert "Your post was published." in client.get("/stream/?tab=all").get_data(as_text=True)
    data["body"] = "x" * 501
    refused = client.post("/stream/", data=data, headers={"X-Composer": "1"})
    assert refused.status_code == 422 and "alert-danger" in refused.get_data(as_text=True)
