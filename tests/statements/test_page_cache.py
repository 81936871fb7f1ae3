"""The statement page is served from the cache until something it shows changes, and its
cost does not grow with the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Organization, Pledge, SignOn
from tadamun.statements.models import DemandUpdate, Tally, Update
from tests.factories import make_statement, release_next, with_categories
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_cached_page_costs_one_query_and_a_change_shows_at_once(client):
    statement = make_statement()
    url = f"/en/statements/{statement.slug}/"
    first = queries_for(client, url)
    assert queries_for(client, url) == 1 < first
    sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    page = client.get(url).content.decode()
    assert "<bdi>Baytna Syria</bdi>" in page
    signon.withdraw()
    assert "Baytna Syria" not in client.get(url).content.decode()


def test_each_language_and_page_of_the_list_is_cached_apart(client):
    statement = make_statement()
    import_signatories(statement, [{"en": f"Organization {n:03}"} for n in range(150)])
    en = client.get(f"/en/statements/{statement.slug}/").content.decode()
    ar = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    second = client.get(f"/en/statements/{statement.slug}/?page=2").content.decode()
    assert 'lang="en"' in en and 'lang="ar"' in ar
    assert "Organization 000" in en and "Organization 000" not in second
    assert "Organization 149" in second


def test_the_number_of_queries_does_not_grow_with_the_list(client):
    small, large = make_statement(), make_statement()
    import_signatories(small, [{"en": f"Small {n}"} for n in range(5)])
    import_signatories(large, [{"en": f"Large {n}"} for n in range(400)])
    assert queries_for(client, f"/en/statements/{small.slug}/") == queries_for(
        client, f"/en/statements/{large.slug}/"
    )
    # A deep page of the long list, not cached yet, costs what a first page costs.
    deep = queries_for(client, f"/en/statements/{large.slug}/?page=3")
    assert deep == queries_for(client, f"/en/statements/{small.slug}/?page=2")


def tally_writes(captured) -> int:
    return sum(
        1
        for q in captured.captured_queries
        if q["sql"].startswith("UPDATE") and "statements_tally" in q["sql"].split("SET")[0]
    )


def test_one_approval_writes_the_tally_once(client):
    statement = make_statement()
    sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    with CaptureQueriesContext(connection) as captured:
        signon.approve()
    assert tally_writes(captured) == 1
    assert Tally.objects.get(statement=statement).organizations == 1


def test_each_change_a_page_shows_is_seen_at_once_through_the_cache(client):
    statement = make_statement(strike_day=True)
    category = with_categories(statement)[0]
    import_signatories(statement, [{"en": "Kesh Malek"}])
    url = f"/en/statements/{statement.slug}/"

    def shows(text: str) -> bool:
        return text in client.get(url).content.decode()

    assert shows("Kesh Malek") and shows("Coalition")
    organization = Organization.objects.get()
    organization.name = {"en": "Kesh Malek Center"}
    organization.save()
    assert shows("Kesh Malek Center")
    statement.coalition.name = {"en": "Renamed Coalition"}
    statement.coalition.save()
    assert shows("Renamed Coalition")
    day = statement.strike_days.get()
    day.date = datetime.date(2031, 3, 9)
    day.save()
    assert shows("March 9, 2031")
    Update.objects.create(statement=statement, title={"en": "News of the day"}, body={"en": "."})
    assert shows("News of the day")
    DemandUpdate.objects.create(demand=statement.demands.first(), status="met", note={"en": "Met"})
    assert shows("Status: met")
    Pledge.objects.create(
        statement=statement, category=category, appearance="category", email_hash="a" * 64
    ).confirm()
    assert not shows("INGO staff")  # a pledge shows nothing until the next release
    release_next(statement)
    assert shows("INGO staff")
    category.name = {"en": "Staff of international NGOs"}
    category.save()
    assert shows("Staff of international NGOs")
