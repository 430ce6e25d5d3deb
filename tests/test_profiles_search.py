"""Profiles as search documents, and the profile evidence for the expertise finder."""

from datetime import date

from sqlalchemy import event

from app.extensions import db
from app.profiles import service
from app.profiles.models import Profile
from app.profiles.search import all_documents, document_for, profile_evidence
from app.profiles.vocabulary import find_skill
from tests.factories import give_skill, make_endorsement, make_user


def fill(member):
    service.update_profile(
        member,
        member,
        service.ProfileEdit(
            job_title="Vergabestelle",
            about="Ich kenne die **VOB**.",
            ask_me_about="Ausschreibungen",
            skills=(service.SkillEntry("Vergaberecht", 4), service.SkillEntry("GIS", 2)),
            trainings=(service.TrainingEntry("UVgO kompakt", "DVW", date(2025, 1, 1)),),
            projects=("Neubau Feuerwache",),
        ),
    )


def test_profile_document(member, outsider):
    fill(member)
    make_endorsement(outsider, member, give_skill(outsider, "Haushaltsrecht", 1))
    profile = db.session.query(Profile).one()
    document = document_for(profile)
    assert document.key == f"profile:{member.id}"
    assert document.kind == "profile"
    assert document.title == "Mia Mitglied"
    assert document.people == (member.id,)
    assert document.acl == ("all",)
    assert document.url == "/people/mia"
    assert document.tags == ("vergaberecht", "gis")
    for text in (
        "Vergabestelle",
        "VOB",
        "Vergaberecht (Expertin/Experte)",
        "Ausschreibungen",
        "UVgO kompakt",
        "Neubau Feuerwache",
    ):
        assert text in document.body
    assert "**" not in document.body


def test_every_colleague_has_a_document_former_ones_too(member, former):
    fill(member)
    keys = {document.key for document in all_documents()}
    assert keys == {f"profile:{member.id}", f"profile:{former.id}"}


def test_profile_evidence_in_few_queries(member, outsider):
    fill(member)
    others = [make_user() for _ in range(5)]
    for other in others:
        give_skill(other, "Vergaberecht", 1)
    make_endorsement(outsider, member, find_skill("Vergaberecht"))
    ids = [member.id, outsider.id, *(other.id for other in others)]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        evidence = profile_evidence(ids)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 3
    assert evidence[member.id].skills[0] == ("Vergaberecht", 4, 1)
    assert evidence[member.id].trainings == ("UVgO kompakt",)
    assert evidence[member.id].projects == ("Neubau Feuerwache",)
    assert evidence[member.id].ask_me_about == "Ausschreibungen"
    assert evidence[member.id].url == "/people/mia"
    assert evidence[outsider.id].skills == ()
    assert evidence[outsider.id].ask_me_about == ""
    assert profile_evidence([]) == {}
