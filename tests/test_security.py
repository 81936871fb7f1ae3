"""Nobody in: CSRF on every form, no open redirect, payloads rendered inert everywhere, no
personal data in logs, and forms that do not tell whether someone already signed."""

import json
import logging
import math
import time

import pytest
from django.test import Client

from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Pledge, SignOn
from tadamun.statements.models import DemandUpdate, Update
from tests.factories import make_statement, pledge_form, signon_form, with_categories
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(2)>",
    "javascript:alert(3)",
    '<a href="javascript:alert(4)">x</a>',
    "{{ 7*7 }}{% debug %}",
    "‮<b>reversed</b>",
]


def test_every_state_changing_form_refuses_a_post_without_its_csrf_token():
    statement = make_statement(strike_day=True)
    category = with_categories(statement)[0]
    client = Client(enforce_csrf_checks=True)
    posts = [
        (f"/en/statements/{statement.slug}/sign/", signon_form()),
        (f"/en/statements/{statement.slug}/join/", pledge_form(category)),
        (f"/en/statements/{statement.slug}/sign/resend/", {"email": "a@b.org"}),
        ("/en/confirm/x/", {}),
        ("/en/withdraw/x/", {}),
        ("/en/reconfirm/x/", {}),
        ("/en/pledge/confirm/x/", {}),
        ("/en/pledge/withdraw/x/", {}),
        ("/en/pledge/work/x/", {}),
        ("/en/pledge/unsubscribe/x/", {}),
        ("/admin/login/", {"username": "a", "password": "b"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert SignOn.objects.count() == 0 and Pledge.objects.count() == 0


def test_admin_actions_refuse_a_post_without_its_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    statement = make_statement()
    import_signatories(statement, [{"en": "Kesh Malek"}])
    response = client.post(
        "/admin/signatures/signon/",
        {"action": "approve", "_selected_action": [SignOn.objects.get().pk]},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "http:/\\evil.example", "javascript:alert(1)"],
)
def test_no_next_parameter_redirects_to_another_site(client, admin_user, target):
    response = client.post(
        f"/admin/login/?next={target}", {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]
    # Public pages ignore next entirely.
    statement = make_statement()
    page = client.get(f"/en/statements/{statement.slug}/?next={target}")
    assert page.status_code == 200 and "evil.example" not in page.content.decode()


def test_payloads_in_every_user_field_render_inert_everywhere(
    client, admin_client, smtp, run_worker
):
    statement = make_statement(strike_day=True)
    category = with_categories(statement)[0]
    for n, payload in enumerate(PAYLOADS):
        sign_on(
            client,
            statement,
            name_en=f"{payload} {n}",
            name_ar=payload,
            country=payload,
            city=payload,
            contact_name=payload,
            contact_role=payload,
            contact_email=f"x{n}@payload{n}.org",
        )
        client.post(
            f"/en/statements/{statement.slug}/join/",
            pledge_form(
                category,
                email=f"p{n}@p.org",
                city=payload,
                appearance="named",
                public_name=payload[:100],
            ),
        )
    for signon in SignOn.objects.all():
        signon.confirm()
        signon.approve()
    for pledge in Pledge.objects.all():
        pledge.confirm()
    demand = statement.demands.first()
    DemandUpdate.objects.create(demand=demand, status="met", note={"en": PAYLOADS[0]})
    Update.objects.create(statement=statement, title={"en": PAYLOADS[1]}, body={"en": PAYLOADS[2]})
    run_worker()

    pages = [
        f"/en/statements/{statement.slug}/",
        f"/ar/statements/{statement.slug}/",
        f"/en/statements/{statement.slug}/?q=script",
        f"/en/statements/{statement.slug}/timeline/",
        f"/en/statements/{statement.slug}/press/",
        f"/en/statements/{statement.slug}/card/",
        f"/en/statements/{statement.slug}/feeds/updates.atom",
        f"/en/statements/{statement.slug}/feeds/demands.atom",
    ]
    admin_pages = [
        "/admin/signatures/signon/?status=all",
        "/admin/signatures/organization/",
        f"/admin/signatures/signon/{SignOn.objects.first().pk}/change/",
        "/admin/statements/demandupdate/",
    ]
    rendered = [client.get(url).content.decode() for url in pages]
    rendered += [admin_client.get(url).content.decode() for url in admin_pages]
    rendered += [m.get_body(preferencelist=("html",)).get_content() for m in smtp.messages]
    for html in rendered:
        for dangerous in ("<script>alert", "<img src=x", "<svg/onload", 'href="javascript:'):
            assert dangerous not in html
    data = client.get(f"/data/{statement.slug}/signatories.json")
    document = json.loads(b"".join(data.streaming_content))
    assert any("<script>" in json.dumps(row, ensure_ascii=False) for row in document["signatories"])
    assert data["Content-Type"] == "application/json"  # data, never HTML
    api = client.get(f"/api/statements/{statement.slug}/signatories")
    assert api["Content-Type"].startswith("application/json")


def test_logs_carry_no_personal_data(client, admin_client, smtp, run_worker, caplog, settings):
    caplog.set_level(logging.DEBUG)
    statement = make_statement()
    category = with_categories(statement)[0]
    client.post(
        f"/en/statements/{statement.slug}/sign/",
        signon_form(contact_name="Layla Secretname", contact_email="layla@hidden.org"),
        REMOTE_ADDR="198.51.100.23",
    )
    client.post(
        f"/en/statements/{statement.slug}/join/",
        pledge_form(category, email="omar@hidden.org"),
        REMOTE_ADDR="198.51.100.23",
    )
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form_client": "1/h"}
    for _ in range(2):  # the second is over the limit, which is logged
        client.post(
            f"/en/statements/{statement.slug}/join/",
            pledge_form(category, email="omar2@hidden.org"),
            REMOTE_ADDR="198.51.100.23",
        )
    run_worker()
    signon = SignOn.objects.get()
    signon.confirm()
    admin_client.post(
        "/admin/signatures/signon/", {"action": "approve", "_selected_action": [signon.pk]}
    )
    run_worker()
    signon.withdraw()
    # The test's own SMTP server (aiosmtpd, logger "mail.log") logs what it receives; the
    # site's loggers are what a deployment keeps.
    ours = "\n".join(
        f"{r.name} {r.getMessage()}" for r in caplog.records if not r.name.startswith("mail.log")
    )
    assert "rate limit form reached by client" in ours
    for secret in ("Layla", "layla@", "omar@", "hidden.org", "198.51.100.23"):
        assert secret not in ours


def post_ms(client, url: str, data: dict) -> float:
    started = time.perf_counter()
    response = client.post(url, data)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 302
    return elapsed


def slower_beyond(pairs: list[tuple[float, float]], margin_ms: float) -> float:
    """The one-sided p-value of "the first of each pair is slower than the second by more
    than `margin_ms`": an exact sign test over the pairs. Pairs are timed back to back, in
    alternating order, so a load that comes and goes slows both sides alike and only makes
    the test less sure, never falsely sure."""
    wins = sum(1 for first, second in pairs if first - second > margin_ms)
    n = len(pairs)
    return sum(math.comb(n, k) for k in range(wins, n + 1)) / 2**n


def timed_pairs(client, url: str, one, other, n: int) -> list[tuple[float, float]]:
    pairs = []
    for i in range(n):
        if i % 2:
            b = post_ms(client, url, other(i))
            a = post_ms(client, url, one(i))
        else:
            a = post_ms(client, url, one(i))
            b = post_ms(client, url, other(i))
        pairs.append((a, b))
    return pairs


def no_telling_difference(pairs) -> bool:
    """Neither side is significantly (p < 0.001) slower than the other by more than 10 ms,
    about what a reader over a network could tell apart."""
    swapped = [(b, a) for a, b in pairs]
    return slower_beyond(pairs, 10) >= 0.001 and slower_beyond(swapped, 10) >= 0.001


def test_the_timing_comparison_would_catch_a_real_difference():
    steady = [(25.0 + i % 3, 5.0 + i % 2) for i in range(30)]
    assert not no_telling_difference(steady)
    noisy = [(5.0 + (37 * i) % 40, 5.0 + (53 * i) % 40) for i in range(30)]
    assert no_telling_difference(noisy)


def test_a_form_does_not_tell_by_its_answer_or_its_time_whether_someone_signed(client, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/h")
    statement = make_statement()
    category = with_categories(statement)[0]
    import_signatories(statement, [{"en": "Known Organization"}])
    url = f"/en/statements/{statement.slug}/sign/"
    n = 30
    signons = timed_pairs(
        client,
        url,
        lambda i: signon_form(
            name_en="Known Organization", name_ar="", contact_email=f"k{i}@k.org"
        ),
        lambda i: signon_form(
            name_en=f"Fresh Organization {i}", name_ar="", contact_email=f"f{i}@f.org"
        ),
        n,
    )
    assert no_telling_difference(signons), signons
    join = f"/en/statements/{statement.slug}/join/"
    client.post(join, pledge_form(category, email="same@x.org"))
    Pledge.objects.with_address(statement, "same@x.org").get().confirm()
    pledges = timed_pairs(
        client,
        join,
        lambda i: pledge_form(category, email="same@x.org"),
        lambda i: pledge_form(category, email=f"new{i}@x.org"),
        n,
    )
    assert no_telling_difference(pledges), pledges
    resend = f"/en/statements/{statement.slug}/sign/resend/"
    answers = {client.post(resend, {"email": e}).content for e in ("k1@k.org", "nobody@x.org")}
    assert len(answers) == 1
