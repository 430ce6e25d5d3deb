"""Wiki pages and their revisions: reading one page, every write, the rules. With links.py and
attachments.py the only code that writes the wiki's tables (listings.py reads lists). Every
function takes the acting user first."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User
from app.audit import service as audit
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.markup import normalize_tag
from app.slugs import slugify
from app.social import notifications
from app.spaces import policy
from app.spaces.models import Space
from app.uploads.store import save_upload
from app.urls import path_for
from app.wiki import links
from app.wiki.diffs import merge3
from app.wiki.models import (
    MAX_TITLE,
    Attachment,
    Page,
    PageRedirect,
    Revision,
    Watch,
    title_key,
)

MAX_BODY = 500_000
MAX_COMMENT = 300
MAX_TAGS = 20
# Breadcrumbs and cycle checks follow parents at most this far.
MAX_DEPTH = 20
# Numbered titles tried for a page whose title is taken ("Title (2)" …).
MAX_TITLE_TRIES = 20


@dataclass(frozen=True, slots=True)
class NewPage:
    title: str
    body: str = ""
    space_id: int | None = None
    parent_id: int | None = None
    tags: str = ""
    comment: str = ""
    is_template: bool = False


@dataclass(frozen=True, slots=True)
class PageEdit:
    title: str
    body: str
    base_revision: int
    tags: str
    parent_id: int | None
    space_id: int | None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Saved:
    page: Page
    merged: bool = False  # someone saved in between; both edits were combined
    changed: bool = True


class EditConflict(Conflict):
    """Someone saved in between and the edits overlap. Carries both versions."""

    def __init__(self, message: str, *, theirs: Page, mine: str) -> None:
        super().__init__(message, {"base_revision": [message]})
        self.theirs_body = theirs.body
        self.theirs_title = theirs.title
        self.theirs_revision = theirs.revision
        self.mine = mine


# --- reading ------------------------------------------------------------------------------


def get_page(actor: User, page_id: int) -> Page:
    """The page if ``actor`` may read it. Raises NotFound."""
    # No statement when this request loaded the page already (found by its address, or the
    # target of its comments).
    page = db.session.get(
        Page,
        page_id,
        options=[joinedload(Page.space), joinedload(Page.owner), joinedload(Page.editor)],
    )
    # 404, not 403: outsiders must not learn that a members-only page exists.
    if page is None or not policy.can_read(actor, page):
        raise NotFound(_("No such page."))
    return page


def find_page(actor: User, space_slug: str | None, slug: str) -> tuple[Page, bool]:
    """The page at an address, and whether the address is a former one. Raises NotFound."""
    space = None
    if space_slug is not None:
        # The usual case in one statement: the live page and its space, found by both slugs.
        page = db.session.scalar(
            select(Page)
            .join(Page.space)
            .where(Space.slug == space_slug, Page.slug == slug, Page.deleted_at.is_(None))
            .options(contains_eager(Page.space))
            .limit(1)
        )
        if page is not None:
            return get_page(actor, page.id), False
        # The whole space, so that page.space needs no statement of its own.
        space = db.session.scalar(select(Space).where(Space.slug == space_slug))
        if space is None:
            raise NotFound(_("No such page."))
    page, moved = links.find_by_slug(space.id if space else None, slug)
    if page is None:
        raise NotFound(_("No such page."))
    return get_page(actor, page.id), moved


def page_for_link(actor: User, title: str, space_id: int | None) -> Page | None:
    """The readable page a [[title]] written in ``space_id`` names, if any."""
    space = db.session.get(Space, space_id) if space_id else None
    if space is not None and not policy.can_read_space(actor, space):
        space = None
    page = links.find_by_title(space.id if space else None, title_key(title))
    return page if page is not None and policy.can_read(actor, page) else None


def get_revision(actor: User, page: Page, number: int) -> Revision:
    """Raises NotFound."""
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.page_id == page.id, Revision.number == number)
        .options(selectinload(Revision.author))
    )
    if revision is None:
        raise NotFound(_("No such revision."))
    return revision


# --- writing ------------------------------------------------------------------------------


def create_page(
    actor: User,
    new: NewPage,
    *,
    files: Sequence[tuple[str, bytes]] = (),
    placeholder: str = "",
    with_page: Callable[[Page], None] | None = None,
) -> Page:
    """Create a page with its first revision; ``actor`` owns it. ``files`` are attached to it
    in the same step, and ``placeholder`` + their index in the body becomes their address
    (an imported document's images). ``with_page(page)`` adds rows that must exist with the
    page (a FAQ link): one transaction, so nothing is left half-made. Raises Forbidden,
    Invalid, Conflict, TooLarge."""
    space = _writable_space(actor, new.space_id)
    if new.is_template and not policy.can_manage_wiki_templates(actor, space):
        raise Forbidden(_("Only administrators and space owners may create templates."))
    title, body, tags, comment = _checked(new.title, new.body, new.tags, new.comment)
    errors: dict[str, list[str]] = {}
    _check_title_free(space.id if space else None, title, None, errors)
    parent = _checked_parent(actor, new.parent_id, space, None, errors)
    if errors:
        raise Invalid(_("The page could not be saved."), errors)
    now = utcnow()
    page = Page(
        space=space,
        title=title,
        title_key=title_key(title),
        slug=_free_slug(space.id if space else None, title),
        parent=parent,
        tags=tags,
        author=actor,
        owner=actor,
        editor=actor,
        revision=1,
        body=body,
        is_template=new.is_template,
        reviewed_at=now,
        created_at=now,
        updated_at=now,
    )
    if files:
        page.body = _attach_new_files(actor, page, files, placeholder)
    rendered = links.render_page(page)
    page.tags = _merged_tags(tags, rendered.tags)
    db.session.add(_revision(page, actor, comment, now))
    links.refresh_linking_pages(page, [page.title_key])
    if with_page is not None:
        db.session.flush()
        with_page(page)
    told = _tell_mentioned(actor, page, rendered.mentions)
    _commit()
    notifications.send_at_once(told)
    return page


def create_numbered_page(
    actor: User,
    title: str,
    body: str,
    space_id: int | None,
    *,
    tags: str = "",
    comment: str = "",
    with_page: Callable[[Page], None] | None = None,
) -> Page:
    """A new page titled ``title``, numbered ("Title (2)") when the title is taken, as
    ``create_page``. Raises Invalid (no free title), Forbidden, Conflict."""
    base = " ".join(title.split())[: MAX_TITLE - 6]
    for number in range(1, MAX_TITLE_TRIES + 1):
        candidate = base if number == 1 else f"{base} ({number})"
        new = NewPage(title=candidate, body=body, space_id=space_id, tags=tags, comment=comment)
        try:
            return create_page(actor, new, with_page=with_page)
        except Invalid as err:
            if "title" not in (err.errors or {}):
                raise
    raise Invalid(_("Too many pages with this title."))


def _attach_new_files(
    actor: User, page: Page, files: Sequence[tuple[str, bytes]], placeholder: str
) -> str:
    """Attach ``files`` to the unsaved ``page``; return its body with their addresses."""
    db.session.add(page)
    addresses = {}
    for index, (name, data) in enumerate(files):
        attachment = Attachment(page=page, upload=save_upload(actor, io.BytesIO(data), name))
        db.session.add(attachment)
        db.session.flush()
        addresses[f"{placeholder}{index}"] = (
            path_for("wiki.download", page_id=page.id, attachment_id=attachment.id, name=name)
            + "?inline=1"
        )
    if not placeholder:
        return page.body
    pattern = re.compile(re.escape(placeholder) + r"\d+")
    return pattern.sub(lambda match: addresses.get(match.group(0), ""), page.body)


def update_page(actor: User, page: Page, edit: PageEdit, *, merge: bool = True) -> Saved:
    """Save a new revision. When someone saved since ``edit.base_revision``, combine both
    edits if they touch different lines (``merge``), else raise EditConflict carrying both
    versions. Raises Forbidden, Invalid, Conflict (stale base without ``merge``)."""
    if not policy.can_edit_page(actor, page):
        raise Forbidden(_("You may not edit this page."))
    title, body, tags, comment = _checked(edit.title, edit.body, edit.tags, edit.comment)
    merged = False
    if edit.base_revision != page.revision:
        message = _("The page changed while you were editing it.")
        if not merge or edit.base_revision > page.revision or edit.base_revision < 1:
            raise Conflict(message, {"base_revision": [message]})
        base = get_revision(actor, page, edit.base_revision)
        result = merge3(base.body, page.body, body)
        title_result = _merge_title(base.title, page.title, title)
        if not result.clean or title_result is None:
            raise EditConflict(message, theirs=page, mine=body)
        body, title, merged = result.text, title_result, True
    space = page.space
    if edit.space_id != page.space_id:
        space = _writable_space(actor, edit.space_id)
    space_id = space.id if space else None
    errors: dict[str, list[str]] = {}
    if title_key(title) != page.title_key or space_id != page.space_id:
        _check_title_free(space_id, title, page, errors)
    # Moved to another space without a new parent: the old one stays behind.
    moved_with_old_parent = space_id != page.space_id and edit.parent_id == page.parent_id
    parent_id = None if moved_with_old_parent else edit.parent_id
    parent = _checked_parent(actor, parent_id, space, page, errors)
    if errors:
        raise Invalid(_("The page could not be saved."), errors)
    unchanged = (
        title == page.title
        and body == page.body
        and tags == page.tags
        and space_id == page.space_id
        and parent_id == page.parent_id
    )
    if unchanged:
        return Saved(page, merged=merged, changed=False)
    old_keys = [page.title_key]
    mentioned_before = set(links.mentions_in(page.body, page.space_id))
    renamed = title_key(title) != page.title_key or space_id != page.space_id
    if renamed:
        _keep_old_address(page)
        page.slug = _free_slug(space_id, title, page)
    page.title, page.title_key, page.body = title, title_key(title), body
    page.space, page.parent = space, parent
    now = utcnow()
    page.revision += 1
    page.editor = actor
    page.updated_at = now
    rendered = links.render_page(page)
    page.tags = _merged_tags(tags, rendered.tags)
    db.session.add(_revision(page, actor, comment, now))
    if renamed:
        links.refresh_linking_pages(page, [*old_keys, page.title_key])
    # The save, its notifications and its search outbox rows commit together; the e-mails
    # go out after the commit, so a failing mail server never undoes a save.
    told = _tell_watchers(actor, page)
    told += _tell_mentioned(
        actor, page, [m for m in rendered.mentions if m not in mentioned_before]
    )
    _commit()
    notifications.send_at_once(told)
    return Saved(page, merged=merged)


def _tell_watchers(actor: User, page: Page) -> list:
    """Those who watch the page learn of the change, with a link to what changed."""
    people = db.session.scalars(select(User).where(User.id.in_(watchers(page)))).all()
    compare = path_for(
        "wiki.compare", page_id=page.id, **{"from": page.revision - 1, "to": page.revision}
    )
    return notifications.stage(
        people,
        "page_change",
        actor=actor,
        subject=page,
        title=page.title,
        url=compare,
        target=f"wiki_page:{page.id}",
    )


def _tell_mentioned(actor: User, page: Page, usernames) -> list:
    if not usernames:
        return []
    people = db.session.scalars(select(User).where(User.username.in_(list(usernames)))).all()
    return notifications.stage(
        people,
        "mention",
        actor=actor,
        subject=page,
        title=page.title,
        url=page.url,
        target=f"wiki_page:{page.id}",
    )


def restore_revision(actor: User, page: Page, number: int) -> Saved:
    """Make an old revision current again, as a new revision. Raises Forbidden, NotFound."""
    old = get_revision(actor, page, number)
    edit = PageEdit(
        title=old.title,
        body=old.body,
        base_revision=page.revision,
        tags=page.tags,
        parent_id=page.parent_id,
        space_id=page.space_id,
        comment=_("Restored revision %(number)d", number=number),
    )
    return update_page(actor, page, edit, merge=False)


def delete_page(actor: User, page: Page) -> None:
    """Move the page to the trash. Raises Forbidden."""
    if not policy.can_delete_page(actor, page):
        raise Forbidden(_("You may not delete this page."))
    page.deleted_at = utcnow()
    links.refresh_linking_pages(page, [page.title_key])
    audit.record("content_deleted", actor=actor, subject=f"wiki_page:{page.id}")
    _commit()


def restore_page(actor: User, page_id: int) -> Page:
    """Take a page out of the trash. Raises NotFound, Forbidden, Conflict (title taken)."""
    page = db.session.get(Page, page_id)
    if page is None or page.deleted_at is None or not policy.can_restore_page(actor, page):
        raise NotFound(_("No such page in the trash."))
    errors: dict[str, list[str]] = {}
    _check_title_free(page.space_id, page.title, page, errors)
    if errors:
        raise Conflict(_("A page with this title exists again. Rename that page first."), errors)
    page.deleted_at = None
    page.slug = _free_slug(page.space_id, page.title, page)
    links.refresh_linking_pages(page, [page.title_key])
    audit.record("content_restored", actor=actor, subject=f"wiki_page:{page.id}")
    _commit()
    return page


def mark_reviewed(actor: User, page: Page) -> None:
    """The owner confirms the page is current. Raises Forbidden."""
    if not policy.can_review_page(actor, page):
        raise Forbidden(_("Only the page's owner may confirm it is current."))
    page.reviewed_at = utcnow()
    _commit()


def is_outdated(page: Page, now: datetime | None = None) -> bool:
    """Not reviewed for WIKI_REVIEW_MONTHS."""
    checked = page.reviewed_at or page.created_at
    return checked < review_cutoff(now)


def review_cutoff(now: datetime | None = None) -> datetime:
    now = now or utcnow()
    months = current_app.config["WIKI_REVIEW_MONTHS"]
    year, month = divmod(now.month - 1 - months, 12)
    year, month = now.year + year, month + 1
    # The same day of an earlier month, or that month's last day (31 March -> 28 February).
    for day in range(now.day, 0, -1):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def set_watch(actor: User, page: Page, watching: bool) -> None:
    """Watch or stop watching a readable page."""
    if not policy.can_read(actor, page):
        raise NotFound(_("No such page."))
    existing = db.session.scalar(
        select(Watch).where(Watch.page_id == page.id, Watch.user_id == actor.id)
    )
    if watching and existing is None:
        db.session.add(Watch(page_id=page.id, user_id=actor.id))
    elif not watching and existing is not None:
        db.session.delete(existing)
    _commit()


def watchers(page: Page) -> list[int]:
    """Ids of the people watching ``page`` (for notifications)."""
    return list(db.session.scalars(select(Watch.user_id).where(Watch.page_id == page.id)))


def markdown_export(page: Page) -> str:
    """The page as a Markdown file: its title as a heading, then its source."""
    return f"# {page.title}\n\n{page.body.rstrip()}\n"


# --- rules --------------------------------------------------------------------------------


def _checked(title: str, body: str, tags: str, comment: str) -> tuple[str, str, str, str]:
    """Cleaned title, body, tags and comment. Raises Invalid."""
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n")
    comment = " ".join((comment or "").split())
    errors: dict[str, list[str]] = {}
    if not title or len(title) > MAX_TITLE:
        errors["title"] = [_("Enter a title of at most %(max)d characters.", max=MAX_TITLE)]
    elif any(ch in title for ch in "[]|#"):
        errors["title"] = [_("A title cannot contain [ ] | or #.")]
    if len(body) > MAX_BODY:
        errors["body"] = [_("Use at most %(max)d characters.", max=MAX_BODY)]
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("Use at most %(max)d characters.", max=MAX_COMMENT)]
    normal_tags = _merged_tags(tags, ())
    if len(normal_tags.split()) > MAX_TAGS:
        errors["tags"] = [_("Use at most %(max)d tags.", max=MAX_TAGS)]
    if errors:
        raise Invalid(_("The page could not be saved."), errors)
    return title, body, normal_tags, comment


def _merged_tags(raw: str, found: tuple[str, ...] | list[str]) -> str:
    tags: list[str] = []
    for part in [*(raw or "").replace(",", " ").split(), *found]:
        tag = normalize_tag(part)
        if tag and tag not in tags:
            tags.append(tag)
    return " ".join(tags)


def _merge_title(base: str, theirs: str, mine: str) -> str | None:
    if mine in (base, theirs):
        return theirs
    if theirs == base:
        return mine
    return None


def _writable_space(actor: User, space_id: int | None) -> Space | None:
    """The space to write into. Raises NotFound (unreadable) or Forbidden."""
    space = None
    if space_id is not None:
        space = db.session.get(Space, space_id)
        if space is None or not policy.can_read_space(actor, space):
            raise NotFound(_("No such space."), {"space_id": [_("No such space.")]})
    if not policy.can_contribute(actor, space):
        raise Forbidden(_("Only members of the space may write its pages."))
    return space


def _check_title_free(
    space_id: int | None, title: str, page: Page | None, errors: dict[str, list[str]]
) -> None:
    space_condition = Page.space_id.is_(None) if space_id is None else Page.space_id == space_id
    query = select(Page.id).where(
        space_condition, Page.title_key == title_key(title), Page.deleted_at.is_(None)
    )
    if page is not None and page.id is not None:
        query = query.where(Page.id != page.id)
    if db.session.scalar(query.limit(1)) is not None:
        errors["title"] = [_("A page with this title exists here already.")]


def _checked_parent(
    actor: User,
    parent_id: int | None,
    space: Space | None,
    page: Page | None,
    errors: dict[str, list[str]],
) -> Page | None:
    if not parent_id:
        return None
    parent = db.session.get(Page, parent_id)
    space_id = space.id if space else None
    if parent is None or not policy.can_read(actor, parent) or parent.space_id != space_id:
        errors["parent_id"] = [_("Choose a page of the same space.")]
        return None
    ancestor, depth = parent, 0
    while ancestor is not None and depth <= MAX_DEPTH:
        if page is not None and ancestor.id == page.id:
            errors["parent_id"] = [_("A page cannot sit below itself.")]
            return None
        ancestor, depth = ancestor.parent, depth + 1
    return parent


def _free_slug(space_id: int | None, title: str, page: Page | None = None) -> str:
    base = slugify(title, fallback="page")
    space_condition = Page.space_id.is_(None) if space_id is None else Page.space_id == space_id
    slug, number = base, 2
    while True:
        query = select(Page.id).where(space_condition, Page.slug == slug)
        query = query.where(Page.deleted_at.is_(None))
        if page is not None and page.id is not None:
            query = query.where(Page.id != page.id)
        if db.session.scalar(query.limit(1)) is None:
            return slug
        slug, number = f"{base[:75]}-{number}", number + 1


def _keep_old_address(page: Page) -> None:
    """Remember the page's address and title before a rename or move."""
    db.session.execute(
        delete(PageRedirect).where(
            PageRedirect.page_id == page.id,
            PageRedirect.space_id.is_(None)
            if page.space_id is None
            else PageRedirect.space_id == page.space_id,
            PageRedirect.slug == page.slug,
        )
    )
    db.session.add(
        PageRedirect(
            space_id=page.space_id, slug=page.slug, title_key=page.title_key, page_id=page.id
        )
    )


def _revision(page: Page, actor: User | None, comment: str, when: datetime) -> Revision:
    return Revision(
        page=page,
        number=page.revision,
        title=page.title,
        body=page.body,
        body_html=page.body_html,
        author=actor,
        comment=comment,
        created_at=when,
    )


def _commit() -> None:
    """Commit; two saves of the same revision number at once: the later one conflicts."""
    try:
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise Conflict(_("The page changed while you were saving it. Please try again.")) from err


# --- templates ----------------------------------------------------------------------------


def get_template(actor: User, template_id: int) -> Page:
    """Raises NotFound."""
    page = get_page(actor, template_id)
    if not page.is_template:
        raise NotFound(_("No such template."))
    return page


def preview(actor: User, body: str, space_id: int | None) -> str:
    """The HTML the editor's live preview shows for ``body``, with [[links]] resolved in the
    space (when ``actor`` may read it). Nothing is stored. Raises Invalid."""
    if len(body) > MAX_BODY:
        raise Invalid(_("Nothing to preview."))
    space = space_or_none(space_id)
    if space is not None and not policy.can_read_space(actor, space):
        space = None
    return links.render_preview(body, space.id if space else None)


def space_or_none(space_id: int | None) -> Space | None:
    """The space with ``space_id`` (None for the global wiki or an unknown id)."""
    return db.session.get(Space, space_id) if space_id else None
