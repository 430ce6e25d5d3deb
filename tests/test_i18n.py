"""Both languages: every string translated to German, and the pages follow the choice."""

from app.i18n import missing_translations
from tests.web import sign_in


def test_german_catalogue_is_complete():
    missing = missing_translations()
    assert missing == {}, "untranslated strings (run `make translations`, then translate)"


def test_german_is_the_default_language(client, member):
    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    sign_in(client, member)
    page = client.get("/").get_data(as_text=True)
    assert 'lang="de"' in page
    assert "Meine Bereiche" in page


def test_language_can_be_chosen_before_signing_in(client):
    from tests.web import csrf_token

    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    token = csrf_token(client, "/login")
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": token})
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client, "/login")
    client.post("/language", data={"locale": "de", "next": "/login", "csrf_token": token})
    assert "Anmelden" in client.get("/login").get_data(as_text=True)


def test_error_pages_speak_both_languages(client, member):
    sign_in(client, member)
    german = client.get("/spaces/nothing-here", headers={"Accept-Language": "de"})
    english = client.get("/spaces/nothing-here", headers={"Accept-Language": "en"})
    assert german.status_code == english.status_code == 404
    assert "Diesen Bereich gibt es nicht." in german.get_data(as_text=True)
    assert "No such space." in english.get_data(as_text=True)


def test_the_editor_speaks_each_readers_language_in_one_process(client, member, owner):
    """The editor's labels are rendered once per language, not once for everyone."""
    from app.extensions import db
    from tests.factories import make_page

    path = make_page("E-Akte", author=owner).url
    member.locale, owner.locale = "de", "en"
    db.session.commit()
    for reader, bold in ((member, "Fett"), (owner, "Bold"), (member, "Fett")):
        sign_in(client, reader)
        page = client.get(path).get_data(as_text=True)
        assert f'"bold": "{bold}"' in page, reader
