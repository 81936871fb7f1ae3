"""Two app servers on one PostgreSQL and one Redis stay consistent: counts, limits, caches,
the record."""

import os

import pytest
from django.core.management import call_command
from django.db import connection

from tadamun.record.models import Entry
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Tally
from tests.conftest import Browserless, require
from tests.factories import make_statement, signon_form


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_counts_limits_caches_and_the_record(start_server):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    if not redis_url:
        require("REQUIRE_REDIS", "no Redis named: set TEST_REDIS_URL for the two-server test")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    statement = make_statement()
    env = {"REDIS_URL": redis_url, "RATE_LIMIT_FORM_CLIENT": "12/h", "CACHE_KEY_PREFIX": "two"}
    servers = [start_server(**env), start_server(**env)]
    page = f"/en/statements/{statement.slug}/"

    # Both servers render (and cache) the page before anything is signed.
    for server in servers:
        assert "<strong>0</strong> organizations have signed." in Browserless(server).get(page)[1]

    codes = []
    for n in range(16):
        status, _body, _headers = Browserless(servers[n % 2]).post_form(
            f"/en/statements/{statement.slug}/sign/",
            signon_form(name_en=f"Organization {n}", name_ar="", contact_email=f"c{n}@org{n}.org"),
        )
        codes.append(status)
    # One limit across both servers: 12 accepted, then 429 from whichever server is asked.
    assert codes.count(302) == 12 and set(codes[12:]) == {429}
    assert SignOn.objects.count() == 12

    # Approvals happen on the database; both servers show the new count at once, although
    # each had the page in the shared cache.
    for signon in SignOn.objects.order_by("pk")[:5]:
        signon.confirm()
        signon.approve()
    for server in servers:
        body = Browserless(server).get(page)[1]
        assert "<strong>5</strong> organizations have signed." in body
    assert Tally.objects.get(statement=statement).organizations == 5
    assert Entry.objects.filter(action="approved").count() == 5
    call_command("verify_record")
