"""Abuse limits on every public form: per client, per e-mail domain, and across servers."""

import os

import pytest

from tadamun.signatures.models import Pledge, SignOn
from tests.conftest import Browserless, require
from tests.factories import make_statement, pledge_form, signon_form, with_categories

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    statement = make_statement()
    with_categories(statement)
    return statement


def test_200_pledges_from_one_client_are_cut_at_the_limit(client, statement, settings):
    limit = int(settings.RATE_LIMITS["form_client"].split("/")[0])
    category = statement.pledge_categories.first()
    answers = []
    for n in range(200):
        response = client.post(
            f"/en/statements/{statement.slug}/join/",
            pledge_form(category, email=f"person{n}@example.org"),
            REMOTE_ADDR="203.0.113.7",
        )
        answers.append(response.status_code)
    assert answers[:limit] == [302] * limit
    assert set(answers[limit:]) == {429}
    # Every legitimate pledge before the limit counts; nothing after it was stored.
    assert Pledge.objects.count() == limit
    assert sorted(Pledge.objects.values_list("email", flat=True))[0] == "person0@example.org"


def test_the_limit_answers_429_with_a_readable_page_and_when_to_retry(client, statement, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form_client": "1/h"}
    url = f"/ar/statements/{statement.slug}/join/"
    category = statement.pledge_categories.first()
    client.post(url, pledge_form(category), REMOTE_ADDR="203.0.113.8")
    response = client.post(
        url, pledge_form(category, email="b@example.org"), REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert Pledge.objects.count() == 1
    # Another client is not affected.
    other = client.post(
        url, pledge_form(category, email="c@example.org"), REMOTE_ADDR="198.51.100.9"
    )
    assert other.status_code == 302


def test_one_e_mail_domain_is_limited_across_clients_but_shared_providers_are_not(
    client, statement, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form_domain": "5/h"}
    url = f"/en/statements/{statement.slug}/join/"
    category = statement.pledge_categories.first()
    codes = [
        client.post(
            url, pledge_form(category, email=f"p{n}@small-ngo.org"), REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(1, 9)
    ]
    assert codes == [302] * 5 + [429] * 3
    shared = [
        client.post(
            url, pledge_form(category, email=f"p{n}@gmail.com"), REMOTE_ADDR=f"192.0.2.{n + 50}"
        ).status_code
        for n in range(1, 9)
    ]
    assert shared == [302] * 8


def test_every_public_form_is_limited(client, statement, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1/h")
    forms = [
        (f"/en/statements/{statement.slug}/sign/", signon_form()),
        (f"/en/statements/{statement.slug}/sign/resend/", {"email": "x@example.org"}),
        ("/en/withdraw/not-a-token/", {}),
        ("/en/confirm/not-a-token/", {}),
        ("/en/pledge/withdraw/not-a-token/", {}),
    ]
    for url, data in forms:
        client.post(url, data, REMOTE_ADDR="203.0.113.99")
        assert client.post(url, data, REMOTE_ADDR="203.0.113.99").status_code == 429, url
    assert SignOn.objects.count() == 1


def test_client_addresses_are_never_written_to_the_database_or_the_log(
    client, statement, caplog, settings
):
    from django.db import connection

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form_client": "1/h"}
    category = statement.pledge_categories.first()
    for _ in range(3):
        client.post(
            f"/en/statements/{statement.slug}/join/",
            pledge_form(category),
            REMOTE_ADDR="203.0.113.77",
        )
    assert "rate limit" in caplog.text
    assert "203.0.113.77" not in caplog.text
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                q = connection.ops.quote_name
                cursor.execute(
                    f"SELECT COUNT(*) FROM {q(table)} WHERE CAST({q(column)} AS TEXT) LIKE %s",  # noqa: S608
                    ["%203.0.113.77%"],
                )
                assert cursor.fetchone()[0] == 0, (table, column)


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_two_app_servers_sharing_redis(start_server, settings):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        require("REQUIRE_REDIS", "no Redis named: set TEST_REDIS_URL to test shared limits")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    statement = make_statement()
    category = with_categories(statement)[0]
    env = {"REDIS_URL": redis_url, "RATE_LIMIT_FORM_CLIENT": "10/h", "CACHE_KEY_PREFIX": "t2"}
    servers = [start_server(**env), start_server(**env)]
    codes = []
    for n in range(30):
        browser = Browserless(servers[n % 2])
        status, _body, _headers = browser.post_form(
            f"/en/statements/{statement.slug}/join/",
            pledge_form(category, email=f"x{n}@example.org"),
        )
        codes.append(status)
    # Posts alternate between the servers, which count against one shared limit.
    assert codes.count(302) == 10 and set(codes[10:]) == {429}
    assert Pledge.objects.count() == 10


def test_a_log_tag_leads_back_to_an_address_only_while_its_key_lives_in_the_cache(
    client, statement, settings, caplog
):
    import hashlib
    import hmac
    import re
    import time

    from tadamun.signatures import limits

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form_client": "1/h"}
    category = statement.pledge_categories.first()
    for _ in range(2):
        client.post(
            f"/en/statements/{statement.slug}/join/",
            pledge_form(category),
            REMOTE_ADDR="203.0.113.88",
        )
    tag = re.search(r"by client ([0-9a-f]{12})", caplog.text).group(1)

    def recover(key: bytes) -> list[str]:
        candidates = [f"203.0.113.{n}" for n in range(256)]
        return [
            ip
            for ip in candidates
            if hmac.new(key, f"tag:{ip}".encode(), hashlib.sha256).hexdigest()[:12] == tag
        ]

    # Whoever reads the running cache today can find the address by trying them all…
    assert recover(limits.client_key()) == ["203.0.113.88"]
    # …but the next period has a new key, and the old one was never written anywhere.
    later = time.time() + settings.CLIENT_KEY_HOURS * 3600
    assert limits.client_key(now=later) != limits.client_key()
    assert recover(limits.client_key(now=later)) == []
