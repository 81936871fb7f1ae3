"""Schemathesis sends generated requests to every operation of the OpenAPI schema: no server
error, and every answer matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.factories import make_statement

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def data(transactional_db):
    from tadamun.signatures.imports import import_signatories

    statement = make_statement(slug="demo", strike_day=True)
    import_signatories(statement, [{"en": "Baytna Syria"}, {"en": "Kesh Malek"}])
    return statement


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_every_generated_request_by_its_schema(case, data):
    case.call_and_validate()
