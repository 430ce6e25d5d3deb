"""Spaces: creating, listing, joining, leaving and managing members, as pages and rules."""

import pytest

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.spaces import policy, service
from tests.factories import make_space
from tests.web import post_form, sign_in


def test_creator_owns_the_new_space(member):
    space = service.create_space(member, service.NewSpace("E-Akte", "project", "public"))
    assert space.slug == "e-akte"
    assert policy.is_owner(member, space)


def test_slugs_stay_unique_and_readable(member):
    first = service.create_space(member, service.NewSpace("Bürgerbüro", "project", "public"))
    second = service.create_space(member, service.NewSpace("Bürgerbüro", "community", "public"))
    assert (first.slug, second.slug) == ("buergerbuero", "buergerbuero-2")


@pytest.mark.parametrize(
    ("name", "kind", "visibility", "field"),
    [
        ("", "project", "public", "name"),
        ("x" * 121, "project", "public", "name"),
        ("Ok", "club", "public", "kind"),
        ("Ok", "project", "secret", "visibility"),
    ],
)
def test_bad_space_data_names_the_field(member, name, kind, visibility, field):
    with pytest.raises(Invalid) as err:
        service.create_space(member, service.NewSpace(name, kind, visibility))
    assert field in err.value.errors


def test_departments_form_a_tree_made_by_admins(admin, member):
    bauamt = service.create_space(admin, service.NewSpace("Bauamt", "department", "public"))
    aufsicht = service.create_space(
        admin, service.NewSpace("Bauaufsicht", "department", "public", parent_id=bauamt.id)
    )
    assert aufsicht.parent == bauamt
    assert service.department_tree(admin) == [bauamt]
    with pytest.raises(Forbidden):
        service.create_space(member, service.NewSpace("Amt", "department", "public"))
    with pytest.raises(Invalid) as err:
        service.create_space(
            member, service.NewSpace("P", "project", "public", parent_id=bauamt.id)
        )
    assert "parent_id" in err.value.errors


def test_outsider_cannot_see_members_space(owner, outsider):
    space = make_space(visibility="members", owners=[owner])
    with pytest.raises(NotFound):
        service.get_space(outsider, space.id)
    listed = service.list_spaces(outsider).items
    assert space not in listed


def test_join_and_leave_public_space(owner, outsider):
    space = make_space(visibility="public", owners=[owner])
    service.join(outsider, space)
    assert policy.is_member(outsider, space)
    service.leave(outsider, space)
    assert not policy.is_member(outsider, space)


def test_nobody_joins_a_members_space_uninvited(owner, outsider):
    space = make_space(visibility="members", owners=[owner])
    with pytest.raises(Forbidden):
        service.join(outsider, space)


def test_last_owner_cannot_leave(owner):
    space = make_space(owners=[owner])
    with pytest.raises(Conflict):
        service.leave(owner, space)


def test_owner_adds_promotes_and_removes_members(owner, outsider):
    space = make_space(owners=[owner])
    service.add_member(owner, space, "olga")
    service.set_role(owner, space, "olga", "owner")
    assert policy.is_owner(outsider, space)
    service.set_role(owner, space, "otto", "member")
    service.remove_member(outsider, space, "otto")
    assert not policy.is_member(owner, space)


def test_adding_twice_unknown_or_former_people_is_refused(owner, former):
    space = make_space(owners=[owner])
    with pytest.raises(Conflict):
        service.add_member(owner, space, "otto")
    with pytest.raises(NotFound):
        service.add_member(owner, space, "nobody")
    with pytest.raises(Invalid):
        service.add_member(owner, space, "fritz")


def test_outsider_cannot_manage_another_space(client, owner, member, outsider):
    space = make_space(owners=[owner], members=[member])
    with pytest.raises(Forbidden):
        service.add_member(outsider, space, "olga")
    sign_in(client, outsider)
    path = f"/spaces/{space.slug}"
    response = post_form(client, f"{path}/members/mia/remove", {}, token_from=path)
    assert response.status_code == 403
    response = post_form(client, f"{path}/members/olga/role", {"role": "owner"}, token_from=path)
    assert response.status_code == 403
    assert policy.is_member(member, space)


def test_space_pages_list_filter_create_and_show(client, member):
    make_space("Bauamt", kind="department")
    make_space("Stammtisch", kind="community")
    sign_in(client, member)
    page = client.get("/spaces/?kind=department").get_data(as_text=True)
    assert "Bauamt" in page
    assert "Stammtisch" not in page
    response = post_form(
        client,
        "/spaces/new",
        {"name": "Projekt Ö", "kind": "project", "visibility": "members", "parent_id": "0"},
        token_from="/spaces/new",
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Projekt Ö" in page
    assert "Mia Mitglied" in page


def test_space_form_keeps_input_on_error(client, member):
    sign_in(client, member)
    response = post_form(
        client,
        "/spaces/new",
        {
            "name": "Amt für Tests",
            "kind": "department",
            "visibility": "public",
            "parent_id": "0",
            "description": "Mein Text",
        },
        token_from="/spaces/new",
    )
    page = response.get_data(as_text=True)
    assert "Only administrators may create departments." in page
    assert "Mein Text" in page
    assert 'value="Amt für Tests"' in page


def test_join_button_works(client, owner, outsider):
    space = make_space(owners=[owner])
    sign_in(client, outsider)
    path = f"/spaces/{space.slug}"
    assert "Join" in client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    post_form(client, f"{path}/join", {}, token_from=path)
    assert policy.is_member(outsider, space)
