"""The permission matrix: admin, owner, member, outsider, former colleague; public and
members-only spaces; content outside spaces."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.spaces import policy
from app.spaces.models import Space
from tests.factories import make_space


@dataclass
class Content:
    """Anything with the attributes the policy reads (a wiki page, a post …)."""

    space: Space | None
    author_id: int | None = None
    deleted_at: object = None
    is_draft: bool = False

    @property
    def space_id(self):
        return self.space.id if self.space else None


@pytest.fixture
def spaces(owner, member):
    return {
        "public": make_space("Open", visibility="public", owners=[owner], members=[member]),
        "members": make_space("Closed", visibility="members", owners=[owner], members=[member]),
    }


@pytest.mark.parametrize(
    ("role", "visibility", "can_read"),
    [
        ("admin", "public", True),
        ("admin", "members", True),
        ("owner", "public", True),
        ("owner", "members", True),
        ("member", "public", True),
        ("member", "members", True),
        ("outsider", "public", True),
        ("outsider", "members", False),
        ("former", "public", False),
        ("former", "members", False),
    ],
)
def test_who_reads_a_space(request, spaces, role, visibility, can_read):
    actor = request.getfixturevalue(role)
    space = spaces[visibility]
    assert policy.can_read_space(actor, space) is can_read
    assert policy.can_read(actor, Content(space=space)) is can_read
    readable_ids = set(db.session.scalars(policy.readable_space_ids(actor)))
    listed = set(db.session.scalars(select(Space.id).where(policy.readable_spaces(actor))))
    assert (space.id in listed) is can_read
    if actor.active:
        assert (space.id in readable_ids) is can_read
    assert (f"space:{space.id}" in policy.acl_tokens(actor)) is can_read


@pytest.mark.parametrize(
    ("role", "can_manage"),
    [("admin", True), ("owner", True), ("member", False), ("outsider", False), ("former", False)],
)
def test_who_manages_a_space(request, spaces, role, can_manage):
    actor = request.getfixturevalue(role)
    for space in spaces.values():
        assert policy.can_manage_space(actor, space) is can_manage


def test_content_outside_spaces_is_for_every_active_colleague(outsider, former):
    item = Content(space=None)
    assert policy.can_read(outsider, item)
    assert not policy.can_read(former, item)
    assert policy.can_contribute(outsider, None)
    assert not policy.can_contribute(former, None)


def test_only_members_contribute_to_a_space(spaces, member, outsider, admin):
    for space in spaces.values():
        assert policy.can_contribute(member, space)
        assert policy.can_contribute(admin, space)
        assert not policy.can_contribute(outsider, space)


def test_drafts_are_for_their_author_only(spaces, member, owner, outsider):
    draft = Content(space=spaces["public"], author_id=member.id, is_draft=True)
    assert policy.can_read(member, draft)
    assert not policy.can_read(owner, draft)
    assert not policy.can_read(outsider, draft)
    assert policy.document_acl(draft) == (f"user:{member.id}",)


def test_deleted_content_only_admins_see(spaces, member, admin):
    gone = Content(space=spaces["public"], author_id=member.id, deleted_at="yesterday")
    assert policy.can_read(admin, gone)
    assert not policy.can_read(member, gone)
    assert policy.document_acl(gone) == ("admin",)


def test_editing_is_for_author_space_owner_and_admin(spaces, member, owner, outsider, admin):
    item = Content(space=spaces["public"], author_id=member.id)
    assert policy.can_edit(member, item)
    assert policy.can_edit(owner, item)
    assert policy.can_edit(admin, item)
    assert not policy.can_edit(outsider, item)


def test_joining_is_only_for_public_spaces_and_non_members(spaces, member, outsider, former):
    assert policy.can_join(outsider, spaces["public"])
    assert not policy.can_join(outsider, spaces["members"])
    assert not policy.can_join(member, spaces["public"])
    assert not policy.can_join(former, spaces["public"])


def test_departments_are_created_by_admins_only(member, admin):
    from app.spaces.models import SpaceKind

    assert not policy.can_create_space(member, SpaceKind.DEPARTMENT)
    assert policy.can_create_space(member, SpaceKind.PROJECT)
    assert policy.can_create_space(admin, SpaceKind.DEPARTMENT)


def test_document_acl_follows_the_space(spaces):
    assert policy.document_acl(Content(space=None)) == ("all",)
    closed = spaces["members"]
    assert policy.document_acl(Content(space=closed)) == (f"space:{closed.id}",)
