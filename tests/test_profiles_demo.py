"""The demo town's profiles answer the questions the issue asks."""

from app.demo import organisation
from app.profiles.directory import DirectoryFilter, search_directory


def test_demo_profiles_answer_the_directory_questions(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    demo = organisation.load()
    reader = demo.people["anna.schmidt"]

    def names(**wanted):
        found = search_directory(reader, DirectoryFilter(**wanted))
        return [person.user.username for person in found.people]

    bauamt = demo.spaces["bauamt"].id
    assert names(language="fr", min_language_level="B2", department_id=bauamt) == [
        "lukas.braun",
        "mehmet.yilmaz",
        "sabine.mueller",
        "thomas.becker",
    ]
    assert names(skill="Vergaberecht", min_level=3) == ["michael.schulz", "sabine.mueller"]
    found = search_directory(reader, DirectoryFilter(skill="Vergaberecht", min_level=4))
    assert found.people[0].skills[0].endorsement_count == 3
