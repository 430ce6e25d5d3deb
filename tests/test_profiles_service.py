"""Profile rules at the service: editing, skills and their vocabulary, endorsements."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from app.extensions import db
from app.profiles import endorsements, service, vocabulary
from app.profiles.models import Endorsement, Skill, SkillAlias, UserSkill
from tests.factories import give_skill, make_endorsement, make_profile, make_space

SkillEntry = service.SkillEntry


def test_skill_names_are_one_skill_however_spelled(member):
    first = vocabulary.find_or_add_skill("Vergaberecht")
    assert vocabulary.find_or_add_skill("vergaberecht ") is first
    assert vocabulary.find_or_add_skill("  VERGABERECHT") is first
    assert vocabulary.skill_key("Geo  Informations\tSysteme") == "geo informations systeme"
    # NFC: "ü" typed as u + combining diaeresis is the same skill.
    assert vocabulary.find_or_add_skill("Bu\u0308rgerservice").id == (
        vocabulary.find_or_add_skill("Bürgerservice").id
    )
    assert first.name == "Vergaberecht"


@pytest.mark.parametrize("name", ["x" * 200, "!!! ---", "   ", "…"])
def test_skill_names_too_long_or_without_letters_are_refused(member, name):
    with pytest.raises(Invalid) as caught:
        service.update_profile(member, member, service.ProfileEdit(skills=(SkillEntry(name, 2),)))
    assert "skills" in caught.value.errors
    assert db.session.scalar(select(Skill.id)) is None


@pytest.mark.parametrize("level", [0, 5, -1])
def test_skill_level_outside_one_to_four_is_refused(member, level):
    with pytest.raises(Invalid) as caught:
        service.update_profile(
            member, member, service.ProfileEdit(skills=(SkillEntry("GIS", level),))
        )
    assert "skills" in caught.value.errors


def test_unknown_language_code_or_level_is_refused(member):
    for entry, field in (
        (service.LanguageEntry("xx", "B2"), "languages"),
        (service.LanguageEntry("fr", "B3"), "languages"),
    ):
        with pytest.raises(Invalid) as caught:
            service.update_profile(member, member, service.ProfileEdit(languages=(entry,)))
        assert field in caught.value.errors


def test_member_edits_own_profile_and_about_is_rendered_safely(member):
    service.update_profile(
        member,
        member,
        service.ProfileEdit(
            display_name="  Mia   Mitglied-Neu ",
            job_title="Sachbearbeiterin Vergabe",
            about="**Hallo** <script>alert(1)</script>",
            skills=(SkillEntry("Vergaberecht", 3), SkillEntry("vergaberecht", 4)),
            languages=(service.LanguageEntry("fr", "B2"),),
            trainings=(service.TrainingEntry("VOB/A kompakt", "DVW", date(2025, 3, 1)),),
            projects=("Neues Rathaus", ""),
        ),
    )
    person = service.get_person(member, "mia")
    assert member.display_name == "Mia Mitglied-Neu"
    assert "<strong>Hallo</strong>" in person.about_html
    assert "<script" not in person.about_html
    assert [(s.skill.name, s.level) for s in person.skills] == [("Vergaberecht", 4)]
    assert [(lang.code, lang.level) for lang in person.languages] == [("fr", "B2")]
    assert person.trainings[0].title == "VOB/A kompakt"
    assert person.projects == ["Neues Rathaus"]


def test_outsider_cannot_edit_anothers_profile_but_admin_can(member, outsider, admin):
    with pytest.raises(Forbidden):
        service.update_profile(outsider, member, service.ProfileEdit(job_title="Hacked"))
    service.update_profile(admin, member, service.ProfileEdit(job_title="Amtsleitung"))
    assert service.get_person(outsider, "mia").job_title == "Amtsleitung"


def test_rejected_edit_changes_nothing(member):
    with pytest.raises(Invalid) as caught:
        service.update_profile(
            member, member, service.ProfileEdit(display_name="Neu", email="not-an-address")
        )
    assert "email" in caught.value.errors
    db.session.expire_all()
    assert member.display_name == "Mia Mitglied"


def test_department_must_be_a_department(member):
    project = make_space("Projekt", kind="project")
    with pytest.raises(Invalid) as caught:
        service.update_profile(member, member, service.ProfileEdit(department_id=project.id))
    assert "department_id" in caught.value.errors


def test_endorse_once_and_never_own(member, outsider, former):
    give_skill(member, "GIS", 3)
    endorsements.endorse(outsider, member, "gis")
    with pytest.raises(Conflict):
        endorsements.endorse(outsider, member, "GIS")
    with pytest.raises(Invalid):
        endorsements.endorse(member, member, "GIS")
    with pytest.raises(NotFound):
        endorsements.endorse(outsider, member, "Baurecht")
    person = service.get_person(member, "mia")
    assert person.skills[0].endorsement_count == 1
    assert person.skills[0].endorsers == [outsider]
    endorsements.withdraw_endorsement(outsider, member, "GIS")
    assert db.session.scalar(select(Endorsement.id)) is None


def test_removing_a_skill_removes_its_endorsements_but_a_level_change_keeps_them(member, outsider):
    gis = give_skill(member, "GIS", 2)
    law = give_skill(member, "Baurecht", 2)
    make_endorsement(outsider, member, gis)
    make_endorsement(outsider, member, law)
    service.update_profile(member, member, service.ProfileEdit(skills=(SkillEntry("GIS", 4),)))
    remaining = db.session.scalars(select(Endorsement.skill_id)).all()
    assert remaining == [gis.id]


def test_merge_moves_levels_and_endorsements_and_keeps_an_alias(admin, member, owner, outsider):
    gis = give_skill(member, "GIS", 4)
    give_skill(owner, "GIS", 2)
    geo = give_skill(owner, "Geoinformationssysteme", 3)
    make_endorsement(outsider, member, gis)
    make_endorsement(outsider, owner, gis)
    make_endorsement(outsider, owner, geo)
    with pytest.raises(Forbidden):
        vocabulary.merge_skills(member, gis, geo)
    vocabulary.merge_skills(admin, gis, geo)
    levels = dict(db.session.execute(select(UserSkill.user_id, UserSkill.level)).all())
    assert levels == {member.id: 4, owner.id: 3}  # the higher level stays
    assert db.session.scalar(select(SkillAlias.name)) == "GIS"
    assert vocabulary.find_skill("gis") == geo
    assert [s.name for s in vocabulary.suggest_skills(member, "GIS")] == ["Geoinformationssysteme"]
    assert len(db.session.scalars(select(Endorsement)).all()) == 2  # the duplicate went
    # Typing the old name later lands on the merged skill.
    service.update_profile(admin, admin, service.ProfileEdit(skills=(SkillEntry("gis", 1),)))
    assert (
        db.session.scalar(select(UserSkill.skill_id).where(UserSkill.user_id == admin.id)) == geo.id
    )


def test_completeness_names_what_is_missing(member):
    person = service.get_person(member, "mia")
    assert service.completeness(person).percent == 0
    service.update_profile(member, member, service.ProfileEdit(job_title="Kämmerin"))
    hint = service.completeness(service.get_person(member, "mia"))
    assert 0 < hint.percent < 100
    assert "your job title" not in hint.missing


def test_profile_of_unknown_person_is_not_found(member):
    with pytest.raises(NotFound):
        service.get_person(member, "nobody")


def test_only_the_person_attaches_certificates(member, outsider, app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    edit = service.ProfileEdit(trainings=(service.TrainingEntry("Erste Hilfe", "DRK"),))
    service.update_profile(member, member, edit)
    training_id = service.get_person(member, "mia").trainings[0].id
    with pytest.raises(Forbidden):
        service.attach_certificate(outsider, member, training_id, b"%PDF-1.7", "x.pdf")
    with pytest.raises(NotFound):
        service.attach_certificate(outsider, outsider, training_id, b"%PDF-1.7", "x.pdf")
    with pytest.raises(TooLarge):
        service.attach_certificate(member, member, training_id, b"%PDF-" + b"0" * (10 << 20), "x")
    service.attach_certificate(member, member, training_id, b"%PDF-1.7", "Erste Hilfe.pdf")
    path, kind, name = service.certificate_of(member, member, training_id)
    assert (kind, name) == ("application/pdf", "Erste Hilfe.pdf")
    assert path.read_bytes() == b"%PDF-1.7"
    with pytest.raises(NotFound):
        service.certificate_of(outsider, member, training_id)


def test_changes_to_skills_touch_the_profile_for_the_search_outbox(admin, member):
    long_ago = datetime(2020, 1, 1)
    make_profile(member, updated_at=long_ago)
    gis = give_skill(member, "GIS", 2)
    geo = vocabulary.find_or_add_skill("Geoinformationssysteme")
    db.session.commit()
    vocabulary.merge_skills(admin, gis, geo)
    assert service.get_person(member, "mia").profile.updated_at > long_ago
    make_profile(admin, updated_at=long_ago)
    service.update_profile(admin, admin, service.ProfileEdit(skills=(SkillEntry("GIS", 1),)))
    assert service.get_person(admin, "admin").profile.updated_at > long_ago
