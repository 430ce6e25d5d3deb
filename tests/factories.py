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


# --- privacy ------------------------------------------------------------------------------


def make_colleague_with_history(username: str = "erika.muster", **names):
    """A colleague who used every tool: profile (photo, skills, languages, a training with a
    certificate), endorsements, pages, posts, stream posts, comments, likes, follows,
    notifications and tokens. Returns (user, what) where ``what`` holds the objects made."""
    import io

    from PIL import Image

    from app.blog import service as blog_service
    from app.profiles.avatars import store_avatar
    from app.profiles.certificates import store_certificate
    from app.profiles.models import Training
    from app.social import service as social
    from app.social.models import Notification, NotificationSetting

    user = make_user(username, display_name=names.get("display_name", "Erika Mustermann"))
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(image, "PNG")
    avatar_hash = store_avatar(image.getvalue())
    make_profile(
        user,
        phone="+49 30 1234-567",
        location="Rathaus, Zimmer 4.12",
        about="Ich kümmere mich um Vergaben.",
        avatar_hash=avatar_hash,
    )
    skill = give_skill(user, "Vergaberecht", 4)
    give_language(user, "fr", "B2")
    certificate_hash, certificate_name = store_certificate(b"%PDF-1.4 certificate", "zert.pdf")
    db.session.add(
        Training(
            user_id=user.id,
            title="Vergabe kompakt",
            provider="Verwaltungsakademie",
            certificate_hash=certificate_hash,
            certificate_name=certificate_name,
        )
    )
    db.session.commit()
    colleague = make_user("karl.kollege", display_name="Karl Kollege")
    other_skill = give_skill(colleague, "Haushaltsrecht", 3)
    make_endorsement(colleague, user, skill)
    make_endorsement(user, colleague, other_skill)
    own_page = make_page("Vergabehandbuch", author=user, body="Wie wir vergeben.")
    mentioning_page = make_page(
        "Ansprechpartner", author=colleague, body=f"Fragen Sie @{username} zu Vergaben."
    )
    edit_page(mentioning_page, user, f"Fragen Sie @{username} oder Karl.")
    space = make_space("Vergabestelle", owners=[user, colleague])
    blog = make_blog("Projektblog", space=space)
    own_post = make_post(blog, user, "Neue Vergabeordnung", body="Ab Mai gilt Neues.")
    other_post = make_post(blog, colleague, "Danke", body=f"Danke an @{username}!")
    own_micropost = make_micropost(user, "Heute Schulung im Ratssaal.")
    other_micropost = make_micropost(colleague, f"Gute Schulung von @{username}.")
    own_comment = social.add_comment(
        user, social.NewComment(target=f"blog_post:{other_post.id}", body="Gern geschehen.")
    )
    other_comment = social.add_comment(
        colleague,
        social.NewComment(target=f"blog_post:{own_post.id}", body=f"Klasse, @{username}!"),
    )
    social.like(user, f"blog_post:{other_post.id}")
    social.like(colleague, f"blog_post:{own_post.id}")
    social.follow(user, f"user:{colleague.username}")
    social.follow(colleague, f"user:{username}")
    social.follow(user, "tag:vergabe")
    db.session.add_all(
        [
            NotificationSetting(user_id=user.id, kind="mention", delivery="email"),
            Notification(user_id=user.id, kind="like", actor_id=colleague.id, title="Danke"),
            Notification(user_id=colleague.id, kind="like", actor_id=user.id, title="Danke"),
        ]
    )
    db.session.commit()
    make_token(user, "Auswertungsskript")
    blog_service.feed_token(user)
    db.session.commit()
    return user, {
        "colleague": colleague,
        "avatar_hash": avatar_hash,
        "certificate_hash": certificate_hash,
        "own_page": own_page,
        "mentioning_page": mentioning_page,
        "own_post": own_post,
        "other_post": other_post,
        "own_micropost": own_micropost,
        "other_micropost": other_micropost,
        "own_comment": own_comment,
        "other_comment": other_comment,
    }


# --- home, guidelines, insights ------------------------------------------------------------


def publish_guidelines(admin: User, body: str = "Seien Sie freundlich.", *, accepted=()):
    """A wiki page published as the usage guidelines; ``accepted`` already agreed to it."""
    from app.guidelines import service as guidelines
    from app.guidelines.models import GuidelinesAcceptance

    page = make_page("Nutzungsrichtlinien", author=admin, body=body)
    release = guidelines.publish(admin, page.id)
    for user in accepted:
        db.session.add(GuidelinesAcceptance(user_id=user.id, version=release.version))
    db.session.commit()
    return release


def make_answered_question(target: str, asker: User, answerer: User, *, space_id=None):
    """A question on ``target`` with a reply marked as its answer (rows written directly)."""
    from app.social.models import Comment

    kind, _sep, raw_id = target.partition(":")
    target_id = int(raw_id)
    question = Comment(
        target_kind=kind,
        target_id=target_id,
        space_id=space_id,
        author=asker,
        body="Wie lange gilt die Übergangsfrist?",
        body_html="<p>Wie lange gilt die Übergangsfrist?</p>",
        is_question=True,
    )
    db.session.add(question)
    db.session.flush()
    answer = Comment(
        target_kind=kind,
        target_id=target_id,
        space_id=space_id,
        author=answerer,
        parent=question,
        body="Bis Ende **März**.",
        body_html="<p>Bis Ende <strong>März</strong>.</p>",
    )
    db.session.add(answer)
    db.session.flush()
    question.answer_id = answer.id
    db.session.commit()
    return question
