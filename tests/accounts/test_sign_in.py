"""Signing in as an organizer: the password, then the second factor (an authenticator app or
a recovery code here; passkeys in tests/browser/test_two_factors.py), throttled guesses,
sessions that a change of role ends, and every step in the audit log."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP

from tadamun.audit.models import Event
from tadamun.statements.models import Membership
from tests.accounts.test_attacks import PASSWORD, organizer
from tests.factories import make_statement

pytestmark = pytest.mark.django_db
SIGN_IN = "/en/desk/sign-in/"


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key (as the page shows it), now or later."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(client, user, path=SIGN_IN, **extra):
    return client.post(path, {"username": user.username, "password": PASSWORD}, **extra)


def enrol_app(client) -> tuple[str, list[str]]:
    """Add an authenticator app on the second-factor page; returns its key and the codes."""
    page = client.post("/en/desk/account/second-factor/", {"action": "start-app"})
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>', page.content.decode())
    done = client.post(
        "/en/desk/account/second-factor/",
        {"action": "confirm-app", "code": code_for(secret.group(1))},
    ).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done)
    return secret.group(1), codes


@pytest.fixture
def moderator():
    return organizer(make_statement().coalition)


def test_in_production_the_first_sign_in_sets_up_a_second_factor_before_the_desk_opens(
    client, settings, moderator
):
    settings.TWO_FACTOR = True
    response = sign_in(client, moderator)
    assert response["Location"].startswith("/en/desk/account/second-factor/")
    assert client.get("/en/desk/").status_code == 302
    assert client.get("/admin/").status_code == 302
    secret, codes = enrol_app(client)
    assert len(codes) == 10
    assert client.get("/en/desk/").status_code == 200
    assert client.get("/admin/signatures/signon/").status_code == 200
    actions = list(
        Event.objects.filter(username=moderator.username).values_list("action", flat=True)
    )
    assert {"signed in with password", "added a second factor", "created recovery codes"} <= set(
        actions
    )


def test_a_later_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, settings, moderator):
    settings.TWO_FACTOR = True
    sign_in(client, moderator)
    secret, codes = enrol_app(client)
    client.logout()
    response = sign_in(client, moderator, path=SIGN_IN + "?next=/admin/statements/")
    assert response["Location"].startswith("/en/desk/sign-in/second-factor/")
    assert client.get("/admin/").status_code == 302
    wrong = client.post("/en/desk/sign-in/second-factor/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400 and "not accepted" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes a device wait a second after a wrong code
    right = client.post(
        "/en/desk/sign-in/second-factor/",
        {"code": code_for(secret, steps_ahead=1), "next": "/admin/statements/"},
    )
    assert right["Location"] == "/admin/statements/"
    assert client.get("/admin/").status_code == 200
    assert Event.objects.filter(username=moderator.username, action="second factor failed").exists()


def test_a_recovery_code_opens_the_account_once(client, settings, moderator):
    settings.TWO_FACTOR = True
    sign_in(client, moderator)
    _secret, codes = enrol_app(client)
    for attempt in range(2):
        client.logout()
        sign_in(client, moderator)
        response = client.post("/en/desk/sign-in/second-factor/", {"code": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get("/en/desk/").status_code == 200
        else:
            assert response.status_code == 400
            assert client.get("/en/desk/").status_code == 302
        time.sleep(1.1)


def test_in_development_the_second_factor_is_offered_and_once_set_up_always_asked(
    client, settings, moderator
):
    settings.TWO_FACTOR = False
    response = sign_in(client, moderator)
    assert response["Location"] == "/en/desk/"
    assert "password only" in client.get("/en/desk/").content.decode()
    enrol_app(client)
    client.logout()
    assert sign_in(client, moderator)["Location"].startswith("/en/desk/sign-in/second-factor/")
    assert client.get("/admin/").status_code == 302


def test_a_stranger_guessing_cannot_lock_the_organizer_out_of_their_own_browser(client, moderator):
    # The organizer's browser has signed in before, and signed out (keeping what a browser
    # keeps: the test client's logout() would forget every cookie).
    sign_in(client, moderator, REMOTE_ADDR="192.0.2.10")
    client.post("/en/desk/sign-out/")
    assert client.get("/en/desk/").status_code == 302
    from django.test import Client

    stranger = Client()
    for attempt in range(12):
        stranger.post(
            SIGN_IN,
            {"username": moderator.username, "password": f"guess {attempt}"},
            REMOTE_ADDR=f"198.51.100.{attempt}",
        )
    # From the stranger's last address, even the right password waits.
    refused = stranger.post(
        "/ar/desk/sign-in/",
        {"username": moderator.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.11",
    )
    assert refused.status_code == 429
    assert "دقيقة" in refused.content.decode()  # the wait, said in the page's language
    assert refused["Retry-After"] == "900"
    # A browser that never signed in to the account waits too, wherever it is…
    newcomer = Client()
    assert sign_in(newcomer, moderator, REMOTE_ADDR="203.0.113.5").status_code == 429
    # …but the organizer's own browser signs in.
    assert sign_in(client, moderator, REMOTE_ADDR="192.0.2.10")["Location"] == "/en/desk/"
    paused = Event.objects.filter(action="sign-in paused after failures")
    assert paused.count() == 1 and paused.get().username == moderator.username
    assert Event.objects.filter(action="sign-in failed").count() <= 10


def test_the_failure_table_keeps_no_client_address(client, moderator):
    from axes.models import AccessAttempt

    client.post(
        SIGN_IN, {"username": moderator.username, "password": "wrong"}, REMOTE_ADDR="192.0.2.77"
    )
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address.startswith("fd") and "192.0.2.77" not in str(attempt.__dict__)


def test_changing_a_role_or_removing_a_member_ends_their_sessions(client, moderator):
    sign_in(client, moderator)
    assert client.get("/en/desk/").status_code == 200
    coalition = moderator.memberships.get().coalition
    owner = organizer(coalition, "owner")
    from django.test import Client

    admin = Client()
    admin.force_login(owner)
    url = f"/admin/statements/coalition/{coalition.pk}/change/"
    from tests.accounts.forms import form_data

    data = form_data(admin.get(url).content.decode(), "coalition_form")
    row = next(k for k, v in data.items() if k.endswith("-role") and v == ["moderator"])
    data[row] = ["editor"]
    saved = admin.post(url, data)
    assert saved.status_code == 302
    assert Membership.objects.get(user=moderator).role == "editor"
    assert client.get("/en/desk/").status_code == 302
    event = Event.objects.get(action="changed a role")
    assert event.username == owner.username
    assert event.detail["member"] == moderator.username and event.detail["sessions_ended"] == 1
    sign_in(client, moderator)
    assert client.get("/en/desk/").status_code == 200
    Membership.objects.filter(user=moderator).delete()
    assert client.get("/en/desk/").status_code == 302
    assert Event.objects.filter(action="removed a member").exists()


def test_the_admin_sends_its_sign_in_to_the_desk_and_keeps_only_a_local_next(client):
    response = client.get("/admin/login/?next=/admin/signatures/signon/")
    assert response["Location"] == "/en/desk/sign-in/?next=%2Fadmin%2Fsignatures%2Fsignon%2F"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert "evil" not in response["Location"]
    user = User.objects.create_user("not-staff", password=PASSWORD)
    page = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert page.status_code == 200 and "wrong" in page.content.decode()


def test_failures_are_forgotten_once_their_wait_is_over(client, moderator):
    import datetime

    from axes.models import AccessAttempt
    from django.utils import timezone

    from tadamun.signatures.housekeeping import housekeeping

    client.post(SIGN_IN, {"username": moderator.username, "password": "wrong"})
    client.post(SIGN_IN, {"username": "someone-else", "password": "wrong"})
    AccessAttempt.objects.filter(username=moderator.username).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=16)
    )
    # Nobody tries to sign in for a while: the hourly housekeeping forgets the old failure.
    assert housekeeping.call()["sign_in_failures_forgotten"] == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone-else"]


def test_an_owner_removed_from_a_coalition_takes_no_working_api_token_along(client):
    from tadamun.api.models import ApiToken

    statement = make_statement()
    owner = organizer(statement.coalition, "owner")
    token = ApiToken(coalition=statement.coalition, name="theirs", role="owner", created_by=owner)
    secret = token.issue()
    token.save()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = '{"title": {"en": "t"}, "body": {"en": "b"}}'
    url = f"/api/statements/{statement.slug}/updates"
    assert client.post(url, body, content_type="application/json", **headers).status_code == 201
    Membership.objects.get(user=owner).delete()
    assert client.post(url, body, content_type="application/json", **headers).status_code == 401
    event = Event.objects.get(action="removed a member")
    assert event.detail["tokens_revoked"] == [token.prefix]


def test_a_lost_second_factor_is_reset_on_the_server_and_set_up_again(client, settings, moderator):
    from io import StringIO

    from django.core.management import call_command

    settings.TWO_FACTOR = True
    sign_in(client, moderator)
    enrol_app(client)
    assert client.get("/en/desk/").status_code == 200
    call_command("reset_second_factor", moderator.username, stdout=StringIO())
    # Whoever holds the lost phone is out, and the next sign-in sets up a new factor.
    assert client.get("/en/desk/").status_code == 302
    response = sign_in(client, moderator)
    assert response["Location"].startswith("/en/desk/account/second-factor/")
    event = Event.objects.get(action="second factors reset on the server")
    assert event.detail["member"] == moderator.username and event.detail["removed"] == 2


def test_an_owner_who_steps_down_at_the_desk_is_signed_out_without_an_error(client, moderator):
    coalition = moderator.memberships.get().coalition
    owner = organizer(coalition, "owner")
    organizer(coalition, "owner", username="another-owner")
    sign_in(client, owner)
    # Some minutes later: this request renews the session, so it would be saved back.
    session = client.session
    session["tadamun.seen"] -= 400
    session.save()
    membership = Membership.objects.get(user=owner)
    response = client.post(
        f"/en/desk/coalitions/{coalition.pk}/team/{membership.pk}/",
        {"action": "role", f"m{membership.pk}-role": "editor"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=owner).role == "editor"
    # The change of role ended the owner's sessions, the one that made it too.
    assert client.get("/en/desk/").status_code == 302
    event = Event.objects.get(action="changed a role")
    assert event.username == owner.username and event.detail["sessions_ended"] == 1
