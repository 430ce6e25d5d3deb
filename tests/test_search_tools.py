"""Each installed tool's content reaches the index through the outbox, for its readers only."""

from __future__ import annotations

from app.search import service
from app.search.extension import get_index
from app.social import service as social
from app.spaces.models import Visibility
from app.wiki import service as wiki
from tests.factories import make_space


def keys_found(actor, query: str) -> list[str]:
    return [result.hit.key for result in service.search(actor, query).results]


def test_a_wiki_page_is_found_by_an_outsider_only_when_public(owner, outsider, member):
    closed = make_space(owners=[owner], members=[member], visibility=Visibility.MEMBERS.value)
    public = wiki.create_page(
        owner, wiki.NewPage("Wohngeld beantragen", "Wie Bürger Wohngeld beantragen")
    )
    hidden = wiki.create_page(
        owner, wiki.NewPage("Wohngeld intern", "Interne Prüfschritte", space_id=closed.id)
    )
    assert keys_found(outsider, "Wohngeld") == [f"wiki:{public.id}"]
    assert set(keys_found(member, "Wohngeld")) == {f"wiki:{public.id}", f"wiki:{hidden.id}"}
    assert keys_found(outsider, "Prüfschritte") == []

    found = service.search(outsider, "Wohngeld").results[0].hit
    assert found.url == public.url and found.title == "Wohngeld beantragen"


def test_an_edited_and_deleted_wiki_page_follows_in_the_index(owner, outsider):
    page = wiki.create_page(owner, wiki.NewPage("Hundesteuer", "Steuer für Hunde"))
    edit = wiki.PageEdit(
        "Hundesteuer", "Steuer für Hunde und Katzen", page.revision, "", None, None
    )
    wiki.update_page(owner, page, edit)
    assert keys_found(outsider, "Katzen") == [f"wiki:{page.id}"]
    wiki.delete_page(owner, page)
    assert keys_found(outsider, "Hundesteuer") == []


def test_a_comment_on_a_wiki_page_is_found_with_the_page(owner, outsider):
    page = wiki.create_page(owner, wiki.NewPage("Sperrmüll", "Termine für Sperrmüll"))
    comment = social.add_comment(
        outsider, social.NewComment(f"wiki_page:{page.id}", "Gilt das auch für Elektroschrott?")
    )
    (hit,) = [result.hit for result in service.search(owner, "Elektroschrott").results]
    assert hit.key == f"comment:{comment.id}"
    assert (hit.title, hit.url) == ("Sperrmüll", f"{page.url}#comment-{comment.id}")


def test_reindex_and_check_cover_the_wiki(app, owner):
    page = wiki.create_page(owner, wiki.NewPage("Straßenreinigung", "Reinigungsklassen"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert set(get_index().stored_keys()) == {f"wiki:{page.id}", f"profile:{owner.id}"}


def test_a_profile_follows_its_skills_and_feeds_the_experts_finder(app, owner, member, outsider):
    from app.profiles import service as profiles

    edit = profiles.ProfileEdit(
        skills=(profiles.SkillEntry("Vergaberecht", 4),),
        ask_me_about="Ausschreibungen",
        projects=("Neues Rathaus",),
    )
    profiles.update_profile(owner, owner, edit)
    from app.profiles.endorsements import endorse

    endorse(member, owner, "Vergaberecht")
    page = wiki.create_page(owner, wiki.NewPage("Vergaberecht kompakt", "Vergaberecht"))

    assert f"profile:{owner.id}" in keys_found(outsider, "Ausschreibungen")
    (expert, *_rest) = service.find_experts(outsider, "Vergaberecht")
    assert expert.user == owner
    skill = expert.summary[0]
    assert (skill.kind, skill.label, skill.level, skill.endorsements) == (
        "skill",
        "Vergaberecht",
        4,
        1,
    )
    assert [item.kind for item in expert.evidence] == ["skill", "wiki"]
    assert expert.evidence[1].url == page.url
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output


def test_only_account_changes_a_profile_shows_queue_it(app, member):
    from sqlalchemy import select

    from app.extensions import db
    from app.search.outbox import SearchOutbox

    def queued_after(change) -> list[str]:
        change()
        db.session.flush()
        keys = list(db.session.scalars(select(SearchOutbox.key)))
        db.session.rollback()
        return keys

    assert queued_after(lambda: setattr(member, "locale", "de")) == []
    assert queued_after(lambda: setattr(member, "display_name", "Mia M.")) == [
        f"profile:{member.id}"
    ]


def test_blog_posts_are_found_by_their_readers_only(owner, member, outsider):
    from tests.factories import make_blog, make_post

    closed = make_space(owners=[owner], members=[member], visibility=Visibility.MEMBERS.value)
    open_blog, closed_blog = make_blog(owner=owner), make_blog("Intern", space=closed)
    public = make_post(open_blog, owner, "Neue Parkgebühren", body="Parkgebühren steigen")
    internal = make_post(closed_blog, owner, "Parkgebühren intern", body="Parkgebühren Entwurf")
    draft = make_post(open_blog, owner, "Parkgebühren Plan", body="Parkgebühren", status="draft")

    assert keys_found(outsider, "Parkgebühren") == [f"blog:{public.id}"]
    assert set(keys_found(member, "Parkgebühren")) == {f"blog:{public.id}", f"blog:{internal.id}"}
    assert f"blog:{draft.id}" in keys_found(owner, "Parkgebühren")
    hit = service.search(outsider, "Parkgebühren").results[0].hit
    assert hit.url.startswith("/blog/") and hit.kind == "blog"


def test_a_scheduled_post_is_found_once_its_time_has_come(app, owner, outsider, monkeypatch):
    from datetime import timedelta

    from app.clock import utcnow
    from app.search.extension import state
    from tests.factories import make_blog, make_post

    now = utcnow()
    post = make_post(
        make_blog(owner=owner),
        owner,
        "Sommerfest",
        body="Sommerfest",
        publish_at=now + timedelta(hours=1),
    )
    assert keys_found(outsider, "Sommerfest") == []
    assert keys_found(owner, "Sommerfest") == [f"blog:{post.id}"]

    later = now + timedelta(hours=2)
    monkeypatch.setattr("app.blog.models.utcnow", lambda: later)
    monkeypatch.setattr("app.search.extension.utcnow", lambda: later)
    assert state().deliver_due() == 1
    assert keys_found(outsider, "Sommerfest") == [f"blog:{post.id}"]


def test_a_micropost_is_found_by_its_readers_only(owner, member, outsider):
    from app.microblog import service as microblog

    closed = make_space(owners=[owner], members=[member], visibility=Visibility.MEMBERS.value)
    public = microblog.create_post(owner, microblog.NewPost("Kantine heute: Linsensuppe"))
    hidden = microblog.create_post(
        owner, microblog.NewPost("Linsensuppe nur für uns", space_id=closed.id)
    )
    assert keys_found(outsider, "Linsensuppe") == [f"micro:{public.id}"]
    assert set(keys_found(member, "Linsensuppe")) == {f"micro:{public.id}", f"micro:{hidden.id}"}
