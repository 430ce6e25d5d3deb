"""The demo town: guidelines published and accepted by everyone, read confirmations asked,
some views counted, and the demo still usable (nobody is gated)."""

from sqlalchemy import func, select

from app.accounts.models import User
from app.confirmations.models import ReadRequest
from app.extensions import db
from app.guidelines import service as guidelines
from app.insights.models import ViewCount
from tests.web import sign_in


def test_demo_has_guidelines_confirmations_and_views(app, client):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert guidelines.current_version() == 1
    people = list(db.session.scalars(select(User)))
    assert people and not any(guidelines.needs_acceptance(person) for person in people)
    assert db.session.scalar(select(func.count(ReadRequest.id))) == 2
    assert db.session.scalar(select(func.sum(ViewCount.views))) > 10
    anna = next(person for person in people if person.username == "anna.schmidt")
    sign_in(client, anna)
    assert client.get("/").status_code == 200
