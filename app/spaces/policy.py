"""Who may see and change what: every rule of Kollegium in one place.

Each rule is stated twice where lists need it: a check on one object (``can_…``) and a query
condition that lists, feeds, the API and search reuse (``readable``, ``space_readable``,
``acl_tokens``). Never restate a rule in a local ``if``.

Content is any object with ``space_id`` (None: outside spaces, readable by all signed-in
colleagues) and optionally ``author_id``, ``deleted_at`` and ``is_draft``; a model with drafts
also offers ``published_clause()``, the SQL condition of "not a draft".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true

from app.accounts.models import User
from app.extensions import db
from app.spaces.models import Membership, Role, Space, SpaceKind, Visibility

# --- people -------------------------------------------------------------------------------


def can_administer(actor: User) -> bool:
    return actor.active and actor.is_admin


# --- spaces -------------------------------------------------------------------------------


def membership(actor: User, space: Space) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == actor.id)
    )


def is_member(actor: User, space: Space) -> bool:
    return membership(actor, space) is not None


def is_owner(actor: User, space: Space) -> bool:
    found = membership(actor, space)
    return found is not None and found.role == Role.OWNER


def can_read_space(actor: User, space: Space) -> bool:
    if not actor.active:
        return False
    return actor.is_admin or space.visibility == Visibility.PUBLIC or is_member(actor, space)


def can_create_space(actor: User, kind: SpaceKind) -> bool:
    """Departments form the organisation chart, which administrators keep; anyone may start
    a project or a community."""
    if not actor.active:
        return False
    return actor.is_admin or kind != SpaceKind.DEPARTMENT


def can_manage_space(actor: User, space: Space) -> bool:
    """Edit the space and its members."""
    return actor.active and (actor.is_admin or is_owner(actor, space))


def can_join(actor: User, space: Space) -> bool:
    return actor.active and space.visibility == Visibility.PUBLIC and not is_member(actor, space)


def can_contribute(actor: User, space: Space | None) -> bool:
    """Write content into ``space`` (None: outside spaces, open to every colleague)."""
    if not actor.active:
        return False
    return space is None or actor.is_admin or is_member(actor, space)


def member_space_ids(actor: User) -> Select:
    return select(Membership.space_id).where(Membership.user_id == actor.id)


def owned_space_ids_query(actor: User) -> Select:
    """A select of the ids of the spaces ``actor`` owns: the one "spaces I own" rule."""
    return select(Membership.space_id).where(
        Membership.user_id == actor.id, Membership.role == Role.OWNER
    )


def owned_by(actor: User, owner_column: Any, space_column: Any) -> ColumnElement[bool]:
    """Condition on a table with a personal owner and a space (a blog): ``actor`` owns the
    row itself or the space it belongs to."""
    return or_(owner_column == actor.id, space_column.in_(owned_space_ids_query(actor)))


def readable_space_ids(actor: User) -> Select:
    """A select of the ids of every space ``actor`` may read."""
    query = select(Space.id)
    if actor.is_admin:
        return query
    return query.where(
        or_(Space.visibility == Visibility.PUBLIC, Space.id.in_(member_space_ids(actor)))
    )


def readable_spaces(actor: User) -> ColumnElement[bool]:
    """Condition on Space: the spaces ``actor`` may read."""
    if not actor.active:
        return false()
    if actor.is_admin:
        return true()
    return or_(Space.visibility == Visibility.PUBLIC, Space.id.in_(member_space_ids(actor)))


def space_readable(actor: User, space_id_column: Any) -> ColumnElement[bool]:
    """Condition on a content table's space column: outside spaces, or in a readable one."""
    if not actor.active:
        return false()
    if actor.is_admin:
        return true()
    return or_(space_id_column.is_(None), space_id_column.in_(readable_space_ids(actor)))


def open_to_readers_of(space_id: int | None, space_id_column: Any) -> ColumnElement[bool]:
    """Condition on a content table's space column: content that every reader of content
    in ``space_id`` may read (outside spaces, in a public space, or in that same space).
    What is stored once and shown to all of them (a rendered link) may only lead there."""
    public = select(Space.id).where(Space.visibility == Visibility.PUBLIC)
    conditions = [space_id_column.is_(None), space_id_column.in_(public)]
    if space_id is not None:
        conditions.append(space_id_column == space_id)
    return or_(*conditions)


# --- content ------------------------------------------------------------------------------


def can_read(actor: User, item: Any) -> bool:
    """May ``actor`` see this piece of content? Deleted items only administrators see (for
    the trash); drafts only their authors."""
    if not actor.active:
        return False
    if getattr(item, "deleted_at", None) is not None:
        return actor.is_admin
    if getattr(item, "is_draft", False) and getattr(item, "author_id", None) != actor.id:
        return False
    space = getattr(item, "space", None)
    return space is None or can_read_space(actor, space)


def readable(actor: User, model: Any) -> ColumnElement[bool]:
    """Condition on ``model``: the content ``actor`` may see in lists (never deleted items)."""
    conditions = [space_readable(actor, model.space_id)]
    if hasattr(model, "deleted_at"):
        conditions.append(model.deleted_at.is_(None))
    if hasattr(model, "published_clause"):
        conditions.append(or_(model.published_clause(), model.author_id == actor.id))
    return and_(*conditions)


def can_edit(actor: User, item: Any) -> bool:
    """Change or delete content: its author (or owner), an owner of its space, or an
    administrator."""
    if not can_read(actor, item):
        return False
    if actor.is_admin or actor.id in (
        getattr(item, "author_id", None),
        getattr(item, "owner_id", None),
    ):
        return True
    space = getattr(item, "space", None)
    return space is not None and is_owner(actor, space)


# --- search -------------------------------------------------------------------------------


def acl_tokens(actor: User) -> set[str]:
    """The tokens a search by ``actor`` matches against each document's ``acl``."""
    if not actor.active:
        return set()
    tokens = {"all", f"user:{actor.id}"}
    tokens.update(f"space:{space_id}" for space_id in db.session.scalars(readable_space_ids(actor)))
    if actor.is_admin:
        tokens.add("admin")
    return tokens


def document_acl(item: Any) -> tuple[str, ...]:
    """The ``acl`` of a search document for ``item``: who may find it."""
    if getattr(item, "deleted_at", None) is not None:
        return ("admin",)
    if getattr(item, "is_draft", False):
        return (f"user:{item.author_id}",)
    space_id = getattr(item, "space_id", None)
    return ("all",) if space_id is None else (f"space:{space_id}",)


# --- wiki ---------------------------------------------------------------------------------
# Pages follow the content rules for reading (can_read, readable). Writing is broader than
# can_edit: a wiki lives from many hands, so every member of the page's space (every active
# colleague in the global wiki) edits; templates are kept by space owners and administrators.


def can_manage_wiki_templates(actor: User, space: Space | None) -> bool:
    """Create and edit templates in ``space`` (None: the global wiki)."""
    if not actor.active:
        return False
    return actor.is_admin or (space is not None and is_owner(actor, space))


def can_edit_page(actor: User, page: Any) -> bool:
    """Save a new revision of ``page``, attach files, watch it."""
    if not can_read(actor, page):
        return False
    if page.is_template:
        return can_manage_wiki_templates(actor, page.space)
    return can_contribute(actor, page.space)


def can_delete_page(actor: User, page: Any) -> bool:
    """Move a page to the trash: its owner, its space's owners, administrators."""
    if not can_read(actor, page) or not can_edit_page(actor, page):
        return False
    if actor.is_admin or page.owner_id == actor.id:
        return True
    return page.space is not None and is_owner(actor, page.space)


def can_restore_page(actor: User, page: Any) -> bool:
    """Take a page back out of the trash: its owner (while they may read its space) and
    administrators."""
    if not actor.active:
        return False
    if actor.is_admin:
        return True
    space = getattr(page, "space", None)
    return page.owner_id == actor.id and (space is None or can_read_space(actor, space))


def can_review_page(actor: User, page: Any) -> bool:
    """Confirm a page is still current: its owner and administrators."""
    return can_read(actor, page) and (actor.is_admin or page.owner_id == actor.id)


def trash_visible(actor: User, model: Any) -> ColumnElement[bool]:
    """Condition on a wiki page model: deleted pages ``actor`` may restore."""
    if not actor.active:
        return false()
    deleted = model.deleted_at.is_not(None)
    if actor.is_admin:
        return deleted
    # Only from spaces one may still read: leaving a space leaves its trash too.
    return and_(deleted, model.owner_id == actor.id, space_readable(actor, model.space_id))


# --- profiles -----------------------------------------------------------------------------


def can_read_profile(actor: User, person: User) -> bool:
    """Every signed-in colleague reads every profile, former colleagues' included (their
    knowledge stays attributed)."""
    return actor.active


def can_edit_profile(actor: User, person: User) -> bool:
    """One's own profile, or any as an administrator."""
    return actor.active and (actor.id == person.id or actor.is_admin)


def can_endorse(actor: User, person: User) -> bool:
    """Vouch for a colleague's skill: never one's own, never a former colleague's."""
    return actor.active and person.active and actor.id != person.id


def can_merge_skills(actor: User) -> bool:
    return can_administer(actor)


def profile_acl(person: User) -> tuple[str, ...]:
    """Profiles are found by every colleague."""
    return ("all",)


def can_see_certificates(actor: User, person: User) -> bool:
    """Training certificates are personal papers: the person and administrators see them."""
    return can_edit_profile(actor, person)


# --- blogs ---------------------------------------------------------------------------------
# A blog belongs to a space (its owners run it) or to one person. Its owners and the authors
# they name post; anyone who can read the blog reads and comments on its published posts.
# Drafts and scheduled posts: their author and the blog's owners only.


def is_blog_owner(actor: User, blog: Any) -> bool:
    """Runs the blog: names authors, reads drafts. The person of a personal blog, the
    owners of a space's blog, administrators."""
    if not actor.active:
        return False
    if actor.is_admin:
        return True
    if blog.space is None:
        return blog.owner_id == actor.id
    return is_owner(actor, blog.space)


def is_named_author(actor: User, blog: Any) -> bool:
    """Named by the blog's owners as an author (``blog.authors``: rows with ``user_id``)."""
    return any(author.user_id == actor.id for author in blog.authors)


def can_create_blog(actor: User, space: Space | None) -> bool:
    """A space's blog: its owners; a personal blog (no space): every colleague."""
    if not actor.active:
        return False
    return space is None or can_manage_space(actor, space)


def can_post(actor: User, blog: Any) -> bool:
    """Write posts in ``blog``: its owners and the authors they named."""
    if not can_read(actor, blog):
        return False
    return is_blog_owner(actor, blog) or is_named_author(actor, blog)


def can_read_post(actor: User, post: Any) -> bool:
    """Published posts: every reader of the blog; drafts and scheduled posts: their author
    and the blog's owners; deleted posts: nobody here (administrators use the trash)."""
    if not actor.active or post.deleted_at is not None or post.blog.deleted_at is not None:
        return False
    space = post.blog.space
    if space is not None and not can_read_space(actor, space):
        return False
    if post.is_draft:
        return post.author_id == actor.id or is_blog_owner(actor, post.blog)
    return True


def can_edit_post(actor: User, post: Any) -> bool:
    """Change or delete a post: its author and the blog's owners."""
    if not can_read_post(actor, post):
        return False
    return post.author_id == actor.id or is_blog_owner(actor, post.blog)


def can_mark_answer(actor: User, item: Any) -> bool:
    """Mark a reply as the answer to a question asked on ``item``: on a blog post, the blog's
    owners and named authors (a project blog answers its readers); elsewhere, whoever may
    edit the item."""
    blog = getattr(item, "blog", None)
    if blog is not None:
        return can_read_post(actor, item) and can_post(actor, blog)
    return can_edit(actor, item)


def readable_posts(actor: User, model: Any, *, published_only: bool = False) -> ColumnElement[bool]:
    """Condition on a blog post ``model`` (with ``blog``, ``author_id``, ``space_id``,
    ``deleted_at`` and ``published_clause()``): what ``actor`` may see in lists (with
    ``published_only``: what a feed or an index shows — never a draft, not even the
    reader's own). The blog passes its model in: the policy knows no tool."""
    if not actor.active:
        return false()
    conditions = [space_readable(actor, model.space_id), model.deleted_at.is_(None)]
    if published_only:
        conditions.append(model.published_clause())
    elif not actor.is_admin:
        blog = model.blog.property.mapper.class_
        conditions.append(
            or_(
                model.published_clause(),
                model.author_id == actor.id,
                model.blog.has(owned_by(actor, blog.owner_id, blog.space_id)),
            )
        )
    return and_(*conditions)


# --- microblog ----------------------------------------------------------------------------


def can_pin(actor: User, space: Space | None) -> bool:
    """Pin an announcement to a stream: administrators for the organisation's stream, the
    space's owners (and administrators) for a space's stream."""
    if space is None:
        return can_administer(actor)
    return can_manage_space(actor, space)


def owned_space_ids(actor: User) -> set[int]:
    """The ids of the spaces ``actor`` owns, in one query (for flags on a list of items)."""
    return set(db.session.scalars(owned_space_ids_query(actor)))


def can_edit_listed(actor: User, item: Any, owned: set[int]) -> bool:
    """``can_edit`` for an item of a list ``actor`` may read, given ``owned_space_ids(actor)``
    (one query for the whole list instead of one per item)."""
    if not actor.active:
        return False
    if actor.is_admin or getattr(item, "author_id", None) == actor.id:
        return True
    return getattr(item, "space_id", None) in owned


def can_pin_listed(actor: User, space_id: int | None, owned: set[int]) -> bool:
    """``can_pin`` for a list, given ``owned_space_ids(actor)``."""
    if not actor.active:
        return False
    return actor.is_admin or (space_id is not None and space_id in owned)


# --- home, guidelines, read confirmations, insights --------------------------------------
# Administrators publish the usage guidelines and see the insights of the whole organisation;
# a space's owners see its insights and, like administrators, ask its readers to confirm
# that they read an announcement.


def can_publish_guidelines(actor: User) -> bool:
    return can_administer(actor)


def can_see_insights(actor: User, space: Space | None) -> bool:
    """The organisation's insights (``space`` None): administrators; a space's: its owners."""
    if space is None:
        return can_administer(actor)
    return can_manage_space(actor, space)


def can_request_read_confirmation(actor: User, item: Any) -> bool:
    """Ask the readers of ``item`` to confirm it: administrators and the owners of its space."""
    if not can_read(actor, item):
        return False
    if actor.is_admin:
        return True
    space = getattr(item, "space", None)
    return space is not None and is_owner(actor, space)


def can_see_read_confirmations(actor: User, item: Any, requested_by_id: int | None) -> bool:
    """Who confirmed: the one who asked, the item's author, its space's owners, admins."""
    if not can_read(actor, item):
        return False
    return actor.id == requested_by_id or can_edit(actor, item)


def readers_of_space(space: Space | None) -> ColumnElement[bool]:
    """Condition on User: the active colleagues who may read content in ``space``."""
    condition = User.active.is_(True)
    if space is None or space.visibility == Visibility.PUBLIC:
        return condition
    return and_(
        condition,
        or_(
            User.is_admin.is_(True),
            User.id.in_(select(Membership.user_id).where(Membership.space_id == space.id)),
        ),
    )
