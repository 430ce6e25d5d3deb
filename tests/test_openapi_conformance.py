"""The OpenAPI document tells the truth: schemathesis sends each operation valid and invalid
requests (a few examples each, so the run stays within a minute or two) against the demo
organisation and checks that nothing answers 5xx, and that every status code, content type
and response body is the one the document declares. Clients generated from it then work."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.models import User
from app.extensions import db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 5


def test_every_operation_answers_as_the_openapi_document_says(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    admin = db.session.scalars(select(User).where(User.is_admin)).first()
    _token, token = accounts.create_token(admin, "schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases)
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except FailureGroup as err:  # collected, so that one run reports every operation
            failures[operation.label] = str(err)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
