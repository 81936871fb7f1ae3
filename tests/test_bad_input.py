"""Any input at all: random Unicode, bidirectional and zero-width characters, null bytes,
very long text, malformed addresses. Every form and API input answers clearly, never with a
server error, and what it refuses it does not store."""

import json

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from tadamun.api.models import ApiToken
from tadamun.signatures.models import Organization, Pledge, SignOn
from tadamun.statements.models import DemandUpdate, Update
from tests.factories import make_statement, with_categories

NASTY = st.sampled_from(
    [
        "\x00",
        "\u202e",
        "\u200f",
        "\u200b",
        "\ufeff",
        "\u2066",
        "\u0000abc",
        "a" * 5000,
        "Bаytna Syria",  # Cyrillic а
        "@",
        "a@",
        "@b",
        "a@@b.org",
        "a@b",
        "<script>",
        "' OR 1=1 --",
        "%s%n",
        "\ud7ff",
        "مرحبا",
        "🏳️\u200d🌈",
        "\r\n",
        " ",
        "",
    ]
)
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be sent
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(alphabet=ANY_CHARACTER, max_size=40))
SIGNON_FIELDS = (
    "name_en",
    "name_ar",
    "country",
    "city",
    "website",
    "contact_name",
    "contact_email",
    "contact_role",
    "listing",
    "pauses_work",
    "consent",
)
PLEDGE_FIELDS = (
    "email",
    "category",
    "city",
    "appearance",
    "public_name",
    "work_email",
    "joins_strike",
    "wants_updates",
)
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def statement(db, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/h")
    statement = make_statement(strike_day=True)
    with_categories(statement)
    return statement


def answer_is_clear(response) -> None:
    assert response.status_code in (200, 302, 400, 404, 410), response.status_code
    if response.status_code == 400:
        page = response.content.decode()
        assert 'class="error"' in page or 'class="errors"' in page


@pytest.mark.django_db
@EXAMPLES
@given(fields=st.fixed_dictionaries(dict.fromkeys(SIGNON_FIELDS, TEXT)))
def test_the_sign_on_form_takes_anything(client, statement, fields):
    before = SignOn.objects.count()
    try:
        response = client.post(f"/en/statements/{statement.slug}/sign/", fields)
    except ValueError:  # the test client itself refuses some bytes
        reject()  # the test client cannot even send these bytes
    answer_is_clear(response)
    stored = SignOn.objects.count() - before
    assert stored == (1 if response.status_code == 302 else 0)
    if stored:
        signon = SignOn.objects.latest("pk")
        for value in signon.submitted_name.values():
            assert "\x00" not in value and "\u202e" not in value and value.strip()


@pytest.mark.django_db
@EXAMPLES
@given(fields=st.fixed_dictionaries(dict.fromkeys(PLEDGE_FIELDS, TEXT)))
def test_the_join_form_takes_anything(client, statement, fields):
    before = Pledge.objects.count()
    try:
        response = client.post(f"/en/statements/{statement.slug}/join/", fields)
    except ValueError:
        reject()  # the test client cannot even send these bytes
    answer_is_clear(response)
    assert Pledge.objects.count() - before == (1 if response.status_code == 302 else 0)


@pytest.mark.django_db
@EXAMPLES
@given(email=TEXT, token=TEXT)
def test_the_resend_form_and_every_link_take_anything(client, statement, email, token):
    try:
        answer_is_clear(
            client.post(f"/en/statements/{statement.slug}/sign/resend/", {"email": email})
        )
        safe = "".join(c for c in token if c.isprintable() and c not in "/?#%") or "x"
        for prefix in ("confirm", "withdraw", "reconfirm", "pledge/confirm", "pledge/withdraw"):
            answer_is_clear(client.post(f"/en/{prefix}/{safe}/"))
        answer_is_clear(
            client.get(f"/en/statements/{statement.slug}/", {"q": email, "page": token})
        )
    except ValueError:
        reject()  # the test client cannot even send these bytes
    assert SignOn.objects.count() == 0


@pytest.mark.django_db
@EXAMPLES
@given(
    body=st.one_of(
        st.dictionaries(
            st.sampled_from(["title", "body", "status", "note", "sources", "date", "reason"]),
            st.one_of(
                TEXT,
                st.lists(TEXT, max_size=3),
                st.dictionaries(TEXT, TEXT, max_size=3),
                st.integers(),
                st.none(),
            ),
        ),
        TEXT,
    )
)
def test_the_api_writes_take_anything(client, statement, body):
    token = ApiToken(coalition=statement.coalition, name="fuzz", role="owner")
    secret = token.issue()
    token.save()
    demand = statement.demands.first()
    data = json.dumps(body) if isinstance(body, dict) else body.encode("utf-8", "surrogatepass")
    before = (Update.objects.count(), DemandUpdate.objects.count())
    for url in (
        f"/api/statements/{statement.slug}/updates",
        f"/api/demands/{demand.pk}/updates",
        "/api/signons/1/reject",
    ):
        response = client.post(
            url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        assert response.status_code < 500, (url, response.content)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code >= 400:
            assert response.json()["detail"]
    if (Update.objects.count(), DemandUpdate.objects.count()) != before:
        assert Update.objects.count() + DemandUpdate.objects.count() > sum(before)


def test_a_name_with_a_homoglyph_is_not_a_new_organization(db):
    latin = Organization.find_or_create({"en": "Baytna Syria"})
    assert Organization.find_or_create({"en": "Bаytna Syria"}).pk == latin.pk  # Cyrillic а
    assert Organization.find_or_create({"en": "Baytna\u200b Syria"}).pk == latin.pk
