"""Schemathesis sends generated requests to every operation of the OpenAPI schema: no server
error, and every answer matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from tadamun.api.models import ApiToken
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import SignOn
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def data(transactional_db):
    statement = make_statement(slug="demo", strike_day=True)
    import_signatories(statement, [{"en": "Baytna Syria"}, {"en": "Kesh Malek"}])
    return statement


@pytest.fixture
def organizer(data, client):
    """A token of the demo's coalition, and the real object behind each path parameter."""
    token = ApiToken(coalition=data.coalition, name="schemathesis", role="owner")
    secret = token.issue()
    token.save()
    sign_on(client, data, name_en="Local Council", name_ar="", contact_email="c@council.org")
    signon = SignOn.objects.get(status=SignOn.Status.UNCONFIRMED)
    signon.confirm()
    real = {
        "slug": data.slug,
        "number": 1,
        "demand": data.demands.first().pk,
        "signature": signon.pk,
    }
    return secret, real, data.coalition.slug


@schema.parametrize()
@FAST
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_every_generated_request_by_its_schema(case, data):
    case.call_and_validate()


@schema.parametrize()
@FAST
@pytest.mark.django_db(transaction=True)
def test_an_organizers_requests_on_real_objects_are_answered_by_the_schema(case, organizer):
    secret, real, coalition = organizer
    # Random slugs and ids only ever meet a 404; real ones let the generated query strings
    # and bodies reach validation, the models and the database.
    if case.meta.generation.mode.is_positive and case.path_parameters:
        case.path_parameters = {
            name: coalition if case.path.startswith("/api/coalitions/") else real.get(name, v)
            for name, v in case.path_parameters.items()
        }
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        # What the schema cannot say is refused with a 400: a language the statement is not
        # published in, a source that is not a link, a cursor the API did not give.
        excluded_checks=[positive_data_acceptance],
    )
