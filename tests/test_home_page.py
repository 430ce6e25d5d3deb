"""The home page: each block shows what concerns the reader, nothing they may not read, and
the page costs a bounded number of queries."""

from sqlalchemy import event

from app.extensions import db
from app.home import service as home
from app.microblog import service as microblog
from app.social import service as social
from app.wiki import service as wiki
from tests.factories import (
    edit_page,
    make_answered_question,
    make_blog,
    make_micropost,
    make_page,
    make_post,
    make_space,
    make_user,
)
from tests.web import render_every_page, sign_in


def test_posts_of_followed_blogs_and_only_readable_ones(owner, member, outsider):
    open_space = make_space(owners=[owner])
    closed = make_space(visibility="members", owners=[owner])
    followed = make_blog("Bauamt-Blog", space=open_space)
    secret = make_blog("Intern", space=closed)
    make_post(followed, owner, "Neuer Bauantrag")
    make_post(secret, owner, "Geheim")
    make_post(make_blog("Anderes", space=open_space), owner, "Nicht gefolgt")
    social.follow(member, f"blog:{followed.id}")
    titles = [post.title for post in home.gather(member).followed_posts]
    assert titles == ["Neuer Bauantrag"]


def test_changed_pages_in_my_spaces_and_watched(member, owner):
    mine = make_space(members=[member], owners=[owner])
    other = make_space(owners=[owner])
    in_space = make_page("Im Bereich", author=owner, space=mine)
    watched = make_page("Beobachtet", author=owner, space=other)
    make_page("Fremd", author=owner, space=other)
    wiki.set_watch(member, watched, True)
    edit_page(in_space, owner, "neu")
    titles = {page.title for page in home.gather(member).changed_pages}
    assert titles == {"Im Bereich", "Beobachtet"}


def test_my_unanswered_questions_as_author(owner, member):
    space = make_space(owners=[owner], members=[member])
    post = make_post(make_blog(space=space), owner, "Übergang")
    social.add_comment(
        member, social.NewComment(f"blog_post:{post.id}", "Gilt das auch für uns?", True)
    )
    make_answered_question(f"blog_post:{post.id}", member, owner, space_id=space.id)
    questions = home.gather(owner).open_questions
    assert [(q.body, p.title) for q, p in questions] == [("Gilt das auch für uns?", "Übergang")]
    assert home.gather(member).open_questions == []


def test_new_colleagues_and_outdated_pages(app, member):
    newcomer = make_user("nele", display_name="Nele Neu")
    gone = make_user("gina", active=False)
    page = make_page("Alt", author=member)
    page.reviewed_at = page.created_at.replace(year=page.created_at.year - 3)
    page.created_at = page.reviewed_at
    db.session.commit()
    found = home.gather(member)
    assert newcomer in found.new_colleagues and gone not in found.new_colleagues
    assert [p.title for p in found.outdated_pages] == ["Alt"] and found.outdated_total == 1


def test_announcements_and_following_stream(admin, owner, member):
    announcement = make_micropost(admin, "Betriebsausflug am Freitag")
    microblog.pin_post(admin, announcement.id)
    make_micropost(owner, "Neue Kaffeemaschine")
    social.follow(member, "user:otto")
    found = home.gather(member)
    assert [p.body for p in found.announcements] == ["Betriebsausflug am Freitag"]
    assert "Neue Kaffeemaschine" in [p.body for p in found.stream]


def count_queries(client, path):
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def fill(owner, member, number):
    space = make_space(owners=[owner], members=[member])
    blog = make_blog(space=space)
    social.follow(member, f"blog:{blog.id}")
    for index in range(number):
        post = make_post(blog, owner, f"Beitrag {index}")
        make_answered_question(f"blog_post:{post.id}", owner, member, space_id=space.id)
        make_page(f"Seite {index}", author=member, space=space)
        make_micropost(owner, f"Notiz {index}")
        make_user()


def test_home_page_queries_are_bounded(client, owner, member):
    render_every_page(client)
    social.follow(member, "user:otto")
    sign_in(client, member)
    fill(owner, member, 1)
    client.get("/")  # a process's first page also reads the guidelines version
    few = count_queries(client, "/")
    fill(owner, member, 8)
    many = count_queries(client, "/")
    assert many == few
    assert many < 40


def test_home_page_renders_the_blocks(client, owner, member):
    social.follow(member, "user:otto")
    fill(owner, member, 2)
    sign_in(client, member)
    html = client.get("/").get_data(as_text=True)
    for heading in ("New in blogs I follow", "Changed wiki pages", "New colleagues", "My spaces"):
        assert heading in html
    assert "Beitrag 1" in html and "Seite 1" in html and "Notiz 1" in html


def test_insights_are_linked_for_admins_and_space_owners(client, admin, owner, member):
    space = make_space("Bauhof", owners=[owner], members=[member])
    sign_in(client, owner)
    html = client.get("/").get_data(as_text=True)
    assert f"/insights/?space={space.id}" in html and 'href="/insights/"' not in html
    sign_in(client, member)
    assert "/insights/" not in client.get("/").get_data(as_text=True)
    sign_in(client, admin)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/insights/"' in html and "/admin/guidelines" in html
