"""The directory's filters, the skill and department pages, and their query counts."""

import pytest
from sqlalchemy import event

from app.errors import Invalid
from app.extensions import db
from app.profiles import directory
from app.profiles.directory import DirectoryFilter
from app.spaces.models import Membership
from tests.factories import (
    give_language,
    give_skill,
    make_endorsement,
    make_profile,
    make_space,
    make_user,
)
from tests.web import render_every_page, sign_in


def usernames(actor, **wanted):
    found = directory.search_directory(actor, DirectoryFilter(**wanted))
    return [person.user.username for person in found.people]


@pytest.fixture
def town(app):
    bauamt = make_space("Bauamt", kind="department")
    bauaufsicht = make_space("Bauaufsicht", kind="department", parent=bauamt)
    kaemmerei = make_space("Kämmerei", kind="department")
    people = {
        "bea": make_user("bea", display_name="Bea Bau"),
        "carl": make_user("carl", display_name="Carl Aufsicht"),
        "kim": make_user("kim", display_name="Kim Kasse"),
        "dora": make_user("dora", display_name="Dora Ehemalig", active=False),
    }
    make_profile(people["bea"], department=bauamt, location="Rathaus, Raum 2.14")
    # Eve belongs to the Bauaufsicht by membership only, without a profile.
    people["eve"] = make_user("eve", display_name="Eve Mitglied")
    make_space("Bauaufsicht-Team", kind="project", members=[people["kim"]])
    db.session.add(Membership(space=bauaufsicht, user=people["eve"]))
    # Kim helps out in the Bauaufsicht, but her primary department is the Kämmerei.
    db.session.add(Membership(space=bauaufsicht, user=people["kim"]))
    db.session.commit()
    give_language(people["eve"], "fr", "C2")
    make_profile(people["carl"], department=bauaufsicht, location="Technisches Rathaus")
    make_profile(people["kim"], department=kaemmerei)
    make_profile(people["dora"], department=bauamt)
    give_language(people["bea"], "fr", "B1")
    give_language(people["carl"], "fr", "C1")
    give_language(people["kim"], "fr", "native")
    give_language(people["dora"], "fr", "B2")
    give_skill(people["bea"], "Vergaberecht", 3)
    give_skill(people["carl"], "Vergaberecht", 2)
    give_skill(people["kim"], "vergaberecht ", 4)
    return {"bauamt": bauamt, "bauaufsicht": bauaufsicht, **people}


def test_french_b2_or_better_in_the_bauamt_includes_the_bauaufsicht(town):
    found = usernames(
        town["bea"], language="fr", min_language_level="B2", department_id=town["bauamt"].id
    )
    assert found == ["carl", "eve"]


def test_vergaberecht_level_three_or_more(town):
    assert usernames(town["bea"], skill="VERGABERECHT", min_level=3) == ["bea", "kim"]


def test_former_colleagues_are_left_out_unless_asked_for(town):
    assert "dora" not in usernames(town["bea"])
    assert "dora" in usernames(town["bea"], include_former=True)


def test_name_location_and_sort(town):
    assert usernames(town["bea"], q="kasse") == ["kim"]
    assert usernames(town["bea"], location="rathaus") == ["bea", "carl"]
    assert usernames(town["bea"], q="%") == []
    # Bauamt, Bauaufsicht, Kämmerei, then those without a department.
    assert usernames(town["bea"], sort="department") == ["bea", "carl", "kim", "eve"]


def test_unknown_skill_finds_nobody_and_bad_levels_are_refused(town):
    assert usernames(town["bea"], skill="Kochen") == []
    for wanted, field in (
        ({"min_level": 5}, "min_level"),
        ({"language": "xx"}, "language"),
        ({"min_language_level": "D1"}, "min_language_level"),
    ):
        with pytest.raises(Invalid) as caught:
            usernames(town["bea"], **wanted)
        assert field in caught.value.errors


def test_skill_page_lists_by_level_then_endorsements(town, outsider):
    skill = give_skill(outsider, "Baurecht", 3)
    give_skill(town["bea"], "Baurecht", 3)
    give_skill(town["carl"], "Baurecht", 4)
    make_endorsement(town["kim"], town["bea"], skill)
    holders = directory.holders_of(town["kim"], skill)
    assert [h.user.username for h in holders] == ["carl", "bea", "olga"]
    assert holders[1].endorsements == 1


def test_department_tree_shows_members_of_sub_departments(town):
    tree = directory.department_tree(town["kim"], town["bauamt"])
    assert [u.username for u in tree.members] == ["bea"]
    assert [child.space.name for child in tree.children] == ["Bauaufsicht"]
    assert [u.username for u in tree.children[0].members] == ["carl", "eve"]


def count_queries(client, path):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_directory_page_queries_do_not_grow_with_people(client, member):
    render_every_page(client)
    sign_in(client, member)

    def add_people(count):
        for number in range(count):
            user = make_user()
            department = make_space(kind="department")
            make_profile(user, department=department, job_title=f"Job {number}")
            give_skill(user, f"Skill {number}", 2)
            give_skill(user, "Gemeinsam", 3)
            give_language(user, "en", "B2")
            make_endorsement(member, user, give_skill(user, f"Other {number}", 1))

    add_people(3)
    client.get("/people/")  # a process's first page also reads the guidelines version
    few = count_queries(client, "/people/")
    add_people(12)
    many = count_queries(client, "/people/")
    assert few == many
    assert many <= 15
