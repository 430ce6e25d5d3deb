"""Build what a test needs in plain sight. Writes go straight to the database; rules are the
services' business and are tested there."""

from __future__ import annotations

import itertools

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.accounts.service import create_token
from app.extensions import db
from app.slugs import slugify
from app.spaces.models import Membership, Role, Space

_numbers = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(
    username: str | None = None,
    *,
    display_name: str | None = None,
    is_admin: bool = False,
    active: bool = True,
    password: str | None = PASSWORD,
) -> User:
    username = username or f"user{next(_numbers)}"
    user = User(
        username=username,
        email=f"{username}@example.org",
        display_name=display_name or username.title(),
        is_admin=is_admin,
        active=active,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_space(
    name: str | None = None,
    *,
    kind: str = "project",
    visibility: str = "public",
    members: tuple[User, ...] | list[User] = (),
    owners: tuple[User, ...] | list[User] = (),
    parent: Space | None = None,
) -> Space:
    name = name or f"Space {next(_numbers)}"
    space = Space(
        name=name,
        slug=f"{slugify(name)}-{next(_numbers)}",
        kind=kind,
        visibility=visibility,
        description="",
        parent=parent,
    )
    for user in owners:
        space.memberships.append(Membership(user=user, role=Role.OWNER))
    for user in members:
        space.memberships.append(Membership(user=user, role=Role.MEMBER))
    db.session.add(space)
    db.session.commit()
    return space


def make_token(user: User, name: str = "test") -> str:
    """A plain API token for ``user``."""
    _token, plain = create_token(user, name)
    return plain


# --- wiki ---------------------------------------------------------------------------------


def make_page(
    title: str | None = None,
    *,
    author: User,
    body: str = "Some text.",
    space: Space | None = None,
    parent=None,
    tags: str = "",
):
    """A wiki page with its first revision (through the service: pages are rendered)."""
    from app.wiki import service as wiki

    return wiki.create_page(
        author,
        wiki.NewPage(
            title=title or f"Page {next(_numbers)}",
            body=body,
            space_id=space.id if space else None,
            parent_id=parent.id if parent else None,
            tags=tags,
        ),
    )


def edit_page(page, editor: User, body: str, *, title: str | None = None):
    """Save a new revision of ``page`` on top of its current one."""
    from app.wiki import service as wiki

    return wiki.update_page(
        editor,
        page,
        wiki.PageEdit(
            title=title or page.title,
            body=body,
            base_revision=page.revision,
            tags=page.tags,
            parent_id=page.parent_id,
            space_id=page.space_id,
        ),
    ).page


# --- profiles -----------------------------------------------------------------------------


def make_profile(user: User, **fields):
    """A profile row for ``user`` with ``fields`` (job_title, location, department, …)."""
    from app.profiles.models import Profile

    profile = Profile(user=user, **fields)
    db.session.add(profile)
    db.session.commit()
    return profile


def give_skill(user: User, name: str, level: int = 2):
    """``user`` lists the skill ``name`` (added to the vocabulary when new) at ``level``."""
    from app.profiles.models import UserSkill
    from app.profiles.vocabulary import find_or_add_skill

    skill = find_or_add_skill(name)
    db.session.add(UserSkill(user_id=user.id, skill_id=skill.id, level=level))
    db.session.commit()
    return skill


def give_language(user: User, code: str, level: str):
    from app.profiles.models import Language

    db.session.add(Language(user_id=user.id, code=code, level=level))
    db.session.commit()


def make_endorsement(endorser: User, user: User, skill):
    from app.profiles.models import Endorsement

    db.session.add(Endorsement(endorser_id=endorser.id, user_id=user.id, skill_id=skill.id))
    db.session.commit()


# --- blog --------------------------------------------------------------------------------


def make_blog(title: str = "Projektblog", *, space: Space | None = None, owner: User | None = None):
    """A blog of ``space``, or the personal blog of ``owner``."""
    from app.blog.models import Blog

    blog = Blog(title=title, description="", space=space, owner=owner if space is None else None)
    db.session.add(blog)
    db.session.commit()
    return blog


def make_post(blog, author: User, title: str = "Neuigkeiten", **values):
    """A post written through the service (so its HTML is rendered); published by default."""
    from app.blog import service

    draft = service.PostDraft(
        title=title,
        body=values.pop("body", "Der Scanner ist da. #e-akte"),
        status=values.pop("status", "published"),
        publish_at=values.pop("publish_at", None),
        tags=tuple(values.pop("tags", ())),
    )
    return service.write_post(author, blog, draft)


def make_micropost(author: User, body: str = "Hallo Kollegium", *, space=None, **fields):
    """A micropost written straight to the database (rendered as the service would)."""
    from app.markup import render_micro
    from app.microblog.models import Micropost, PostTag
    from app.social.links import ContentLinks

    rendered = render_micro(body, ContentLinks(space.id if space else None))
    post = Micropost(
        author=author,
        space=space,
        body=body,
        body_html=rendered.html,
        tags=[PostTag(tag=tag) for tag in rendered.tags],
        **fields,
    )
    db.session.add(post)
    db.session.commit()
    return post
