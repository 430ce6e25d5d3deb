"""Wiki rules, at the service."""

from datetime import timedelta

import pytest

from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.wiki import listings
from app.wiki import service as wiki
from app.wiki.diffs import merge3, word_diff
from app.wiki.models import Page, WikiLink
from tests.factories import edit_page, make_page, make_space, make_user


def stale_edit(page, body, base, title=None):
    return wiki.PageEdit(
        title=title or page.title,
        body=body,
        base_revision=base,
        tags=page.tags,
        parent_id=page.parent_id,
        space_id=page.space_id,
    )


def test_outsider_cannot_read_members_space_page(member, outsider):
    space = make_space(visibility="members", members=[member])
    page = make_page(space=space, author=member)
    with pytest.raises(NotFound):
        wiki.get_page(outsider, page.id)
    assert listings.list_pages(outsider).total == 0
    assert listings.recent_changes(outsider).total == 0


def test_only_members_write_in_a_space_but_everyone_in_the_global_wiki(member, outsider):
    space = make_space(members=[member])
    with pytest.raises(Forbidden):
        make_page(space=space, author=outsider)
    page = make_page(space=space, author=member)
    with pytest.raises(Forbidden):
        edit_page(page, outsider, "changed")
    global_page = make_page(author=member)
    assert edit_page(global_page, outsider, "changed by a colleague").revision == 2


def test_former_colleague_cannot_write(former):
    with pytest.raises(Forbidden):
        make_page(author=former)


def test_titles_are_unique_within_a_space_only(member):
    space = make_space(members=[member])
    make_page("Urlaubsantrag", author=member)
    with pytest.raises(Invalid) as err:
        make_page("  urlaubsANTRAG ", author=member)
    assert "title" in err.value.errors
    assert make_page("Urlaubsantrag", author=member, space=space).title == "Urlaubsantrag"


def test_unicode_title_gets_a_readable_slug(member):
    page = make_page("Bürgerbüro – Öffnungszeiten", author=member)
    assert page.slug == "buergerbuero-oeffnungszeiten"
    found, moved = wiki.find_page(member, None, page.slug)
    assert found.id == page.id and not moved


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "[[Evil]]", "a|b", "#tag"])
def test_bad_titles_are_refused(member, title):
    with pytest.raises(Invalid):
        wiki.create_page(member, wiki.NewPage(title=title))


def test_hostile_title_and_body_are_stored_as_text(member):
    page = make_page(
        "<script>alert(1)</script>", author=member, body="<img src=x onerror=alert(1)>"
    )
    assert "onerror" not in page.body_html
    assert page.title == "<script>alert(1)</script>"  # escaped when shown


def test_every_save_is_a_revision_and_history_lists_them(member):
    page = make_page(author=member, body="one")
    edit_page(page, member, "two")
    edit_page(page, member, "three")
    revisions = listings.history(member, page)
    assert [r.number for r in revisions.items] == [3, 2, 1]
    assert wiki.get_revision(member, page, 1).body == "one"


def test_saving_unchanged_text_adds_no_revision(member):
    page = make_page(author=member, body="same")
    saved = wiki.update_page(member, page, stale_edit(page, "same", 1))
    assert not saved.changed and page.revision == 1


def test_non_overlapping_concurrent_edits_are_merged(member, owner):
    page = make_page(author=member, body="Intro\n\nMiddle\n\nEnd\n")
    edit_page(page, owner, "Intro changed\n\nMiddle\n\nEnd\n")
    saved = wiki.update_page(member, page, stale_edit(page, "Intro\n\nMiddle\n\nEnd changed\n", 1))
    assert saved.merged
    assert page.body == "Intro changed\n\nMiddle\n\nEnd changed\n"
    assert page.revision == 3


def test_overlapping_edits_raise_a_conflict_that_keeps_the_users_text(member, owner):
    page = make_page(author=member, body="Frist: 14 Tage\n")
    edit_page(page, owner, "Frist: 10 Tage\n")
    with pytest.raises(wiki.EditConflict) as err:
        wiki.update_page(member, page, stale_edit(page, "Frist: 21 Tage und mehr\n", 1))
    assert err.value.mine == "Frist: 21 Tage und mehr\n"
    assert err.value.theirs_body == "Frist: 10 Tage\n"
    assert err.value.theirs_revision == 2
    db.session.refresh(page)
    assert page.body == "Frist: 10 Tage\n"


def test_stale_base_without_merge_is_a_conflict(member):
    page = make_page(author=member, body="a")
    edit_page(page, member, "b")
    with pytest.raises(Conflict):
        wiki.update_page(member, page, stale_edit(page, "c", 1), merge=False)
    with pytest.raises(Conflict):
        wiki.update_page(member, page, stale_edit(page, "c", 99))


def test_three_way_merge_rules():
    base = "a\nb\nc\n"
    assert merge3(base, "A\nb\nc\n", "a\nb\nC\n").text == "A\nb\nC\n"
    assert merge3(base, "A\nb\nc\n", "A\nb\nc\n").clean
    assert not merge3(base, "X\nb\nc\n", "Y\nb\nc\n").clean
    assert not merge3(base, "a\nb\nc\nd\n", "a\nb\nc\ne\n").clean


def test_word_diff_marks_changed_words():
    kinds = [
        (s.kind, s.text)
        for s in word_diff("Die Frist beträgt 14 Tage", "Die Frist beträgt 10 Tage")
    ]
    assert ("removed", "14") in kinds and ("added", "10") in kinds


def test_restore_revision_adds_a_new_revision(member):
    page = make_page(author=member, body="original")
    edit_page(page, member, "vandalised")
    wiki.restore_revision(member, page, 1)
    assert page.body == "original" and page.revision == 3


def test_links_resolve_in_the_space_then_globally_and_missing_ones_offer_creation(app, member):
    space = make_space(members=[member])
    make_page("Haushalt", author=member)
    local = make_page("Vergabe", author=member, space=space)
    source = make_page(author=member, space=space, body="[[Vergabe]] [[Haushalt]] [[Fehlt noch]]")
    with app.test_request_context():
        assert local.url in source.body_html
    assert "/wiki/global/haushalt" in source.body_html
    assert "wiki-missing" in source.body_html and "title=Fehlt+noch" in source.body_html
    assert [p.id for p in listings.backlinks(member, local)] == [source.id]


def test_creating_a_missing_page_updates_the_links_to_it(member):
    source = make_page(author=member, body="See [[Später]]")
    assert "wiki-missing" in source.body_html
    target = make_page("Später", author=member)
    db.session.refresh(source)
    assert "wiki-missing" not in source.body_html
    assert listings.surroundings(member, target).backlink_count == 1


def test_rename_keeps_links_and_old_address_working(member):
    target = make_page("Altes Verfahren", author=member)
    source = make_page(author=member, body="[[Altes Verfahren]]")
    old_slug = target.slug
    edit_page(target, member, target.body, title="Neues Verfahren")
    db.session.refresh(source)
    assert "/wiki/global/neues-verfahren" in source.body_html
    found, moved = wiki.find_page(member, None, old_slug)
    assert found.id == target.id and moved
    later = make_page(author=member, body="[[Altes Verfahren]]")
    assert "wiki-missing" not in later.body_html


def test_move_to_another_space_keeps_old_address(member):
    space = make_space(members=[member])
    page = make_page("Umzug", author=member)
    wiki.update_page(
        member,
        page,
        wiki.PageEdit(
            title=page.title,
            body="moved",
            base_revision=1,
            tags="",
            parent_id=None,
            space_id=space.id,
        ),
    )
    assert page.space_id == space.id
    assert wiki.find_page(member, None, "umzug")[0].id == page.id


def test_parent_must_be_in_the_same_space_and_not_below_itself(member):
    space = make_space(members=[member])
    root = make_page(author=member)
    child = make_page(author=member, parent=root)
    with pytest.raises(Invalid):
        make_page(author=member, space=space, parent=root)
    edit = wiki.PageEdit(
        title=root.title, body="x", base_revision=1, tags="", parent_id=child.id, space_id=None
    )
    with pytest.raises(Invalid):
        wiki.update_page(member, root, edit)
    assert [n.page.id for n in listings.page_tree(member, None)[0].children] == [child.id]
    assert listings.breadcrumbs(child.owner, child) == [root]


def test_trash_and_restore_by_owner_or_admin(member, owner, admin):
    space = make_space(members=[member, owner])
    page = make_page(author=member, space=space)
    with pytest.raises(Forbidden):
        wiki.delete_page(owner, page)  # a fellow member, not the owner
    wiki.delete_page(member, page)
    with pytest.raises(NotFound):
        wiki.get_page(member, page.id)
    assert [p.id for p in listings.trash(member)] == [page.id]
    assert listings.trash(owner) == []
    with pytest.raises(NotFound):
        wiki.restore_page(owner, page.id)
    wiki.restore_page(admin, page.id)
    assert wiki.get_page(member, page.id).deleted_at is None


def test_deleting_a_page_turns_links_to_it_into_missing_links(member):
    target = make_page("Ziel", author=member)
    source = make_page(author=member, body="[[Ziel]]")
    wiki.delete_page(member, target)
    db.session.refresh(source)
    assert "wiki-missing" in source.body_html


def test_owner_marks_reviewed_and_old_pages_are_listed(app, member, outsider):
    page = make_page(author=member)
    page.reviewed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert wiki.is_outdated(page)
    assert [p.id for p in listings.outdated_pages(member)] == [page.id]
    with pytest.raises(Forbidden):
        wiki.mark_reviewed(outsider, page)
    wiki.mark_reviewed(member, page)
    assert not wiki.is_outdated(page)
    assert listings.outdated_pages(member) == []


def test_a_page_shows_only_the_subpages_and_links_its_reader_may_read(member, owner, outsider):
    closed = make_space(visibility="members", owners=[owner], members=[member])
    parent = make_page("Vergabe", author=owner)
    kept = make_page("Schwellenwerte", author=owner, parent=parent)
    wiki.delete_page(owner, make_page("Alte Fristen", author=owner, parent=parent))
    make_page("Anhang", author=owner, parent=parent)
    make_page(author=owner, body="[[Vergabe]]")
    make_page(author=owner, space=closed, body="[[Vergabe]]")
    wiki.set_watch(member, parent, True)

    seen = listings.surroundings(member, parent)
    assert [page.title for page in seen.children] == ["Anhang", "Schwellenwerte"]
    assert (seen.backlink_count, seen.watching) == (2, True)
    seen = listings.surroundings(outsider, parent)
    assert len(seen.children) == 2
    assert (seen.backlink_count, seen.watching) == (1, False)
    assert listings.surroundings(outsider, kept) == listings.Surroundings([], 0, False)


def test_review_cutoff_respects_short_months(app):
    app.config["WIKI_REVIEW_MONTHS"] = 1
    march_31 = utcnow().replace(year=2026, month=3, day=31)
    assert wiki.review_cutoff(march_31).date().isoformat() == "2026-02-28"


def test_watch_and_unwatch(member):
    page = make_page(author=member)
    wiki.set_watch(member, page, True)
    wiki.set_watch(member, page, True)
    assert listings.surroundings(member, page).watching and wiki.watchers(page) == [member.id]
    wiki.set_watch(member, page, False)
    assert not listings.surroundings(member, page).watching


def test_templates_come_in_the_users_language_and_only_owners_edit_them(member, admin):
    german = listings.template_choices(member, None, "de")
    english = listings.template_choices(member, None, "en")
    assert len(german) == len(english) == 6
    assert any("Besprechungsprotokoll" in t.title for t in german)
    assert any("Meeting minutes" in t.title for t in english)
    with pytest.raises(Forbidden):
        edit_page(german[0], member, "mine now")
    assert edit_page(german[0], admin, "better").revision == 2


def test_space_owner_creates_templates_for_the_space(member, owner):
    space = make_space(members=[member], owners=[owner])
    with pytest.raises(Forbidden):
        wiki.create_page(member, wiki.NewPage(title="T", space_id=space.id, is_template=True))
    template = wiki.create_page(owner, wiki.NewPage(title="T", space_id=space.id, is_template=True))
    assert template in listings.template_choices(member, space.id, "en")


def test_tags_come_from_the_field_and_from_hashtags(member):
    page = make_page(author=member, tags="Vergabe, Recht", body="Über #Beschaffung")
    assert page.tag_list == ["vergabe", "recht", "beschaffung"]
    assert [p.id for p in listings.list_pages(member, tag="recht").items] == [page.id]
    assert listings.list_pages(member, tag="rec").items == []


def test_links_are_stored_by_target(member):
    target = make_page("Ziel", author=member)
    source = make_page(author=member, body="[[ziel|hier]] und [[Ziel]]")
    links = db.session.query(WikiLink).filter_by(source_id=source.id).all()
    assert {link.target_id for link in links} == {target.id}
    assert db.session.get(Page, source.id).body_html.count("href") == 2


def test_recent_changes_filter_by_space_and_person(member, owner):
    space = make_space(members=[member, owner])
    make_page(author=member, space=space)
    make_page(author=owner)
    assert listings.recent_changes(member, space_id=space.id).total == 1
    assert listings.recent_changes(member, username="otto").total == 1
    assert listings.recent_changes(member).total == 2
    assert make_user("nobody") and listings.recent_changes(member, username="nobody").total == 0


def test_recent_changes_leave_out_templates_in_other_languages(member):
    listings.template_choices(member, None, "de")  # creates the built-in templates
    make_page("Eigene Seite", author=member)
    titles = {c.title for c in listings.recent_changes(member, language="de").items}
    assert "Eigene Seite" in titles
    assert "Vorlage: Besprechungsprotokoll" in titles
    assert "Template: Meeting minutes" not in titles
    english = {c.title for c in listings.recent_changes(member, language="en").items}
    assert "Template: Meeting minutes" in english
    assert "Vorlage: Besprechungsprotokoll" not in english
