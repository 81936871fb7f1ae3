"""Signed links: bound to one purpose and one object, expiring where they should, and acting
once however often they are followed."""

import time

import pytest
from django.core import signing

from tadamun.signatures import tokens
from tadamun.signatures.models import Pledge, SignOn
from tests.factories import make_statement, pledge_form, true_counts, with_categories
from tests.signatures.helpers import sign_on


def test_a_token_reads_back_as_what_it_was_made_for():
    token = tokens.make("signon-confirm", 42, "nonce-value")
    assert tokens.read(token, "signon-confirm", max_age=60) == (42, "nonce-value")


def test_a_token_made_for_one_purpose_opens_no_other():
    token = tokens.make("signon-withdraw", 42, "n")
    with pytest.raises(tokens.Invalid):
        tokens.read(token, "signon-confirm", max_age=None)


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: ""])
def test_a_mangled_token_is_invalid(mangle):
    with pytest.raises(tokens.Invalid):
        tokens.read(mangle(tokens.make("pledge-confirm", 1, "n")), "pledge-confirm", None)


def test_a_signed_value_of_another_shape_is_invalid():
    signer = signing.TimestampSigner(salt=f"{tokens.SALT}.pledge-confirm")
    for value in ({"id": 1}, [1], ["1", "n"], [1, 2]):
        with pytest.raises(tokens.Invalid):
            tokens.read(signer.sign_object(value), "pledge-confirm", None)


def test_an_old_token_has_expired_but_is_told_apart_from_a_forged_one():
    token = tokens.make("signon-confirm", 1, "n")
    time.sleep(1.1)
    with pytest.raises(tokens.Expired):
        tokens.read(token, "signon-confirm", max_age=1)
    assert tokens.read(token, "signon-confirm", max_age=None) == (1, "n")


def test_nonces_are_long_random_and_never_repeat():
    nonces = {tokens.new_nonce() for _ in range(1000)}
    assert len(nonces) == 1000 and min(map(len, nonces)) >= 20


@pytest.mark.django_db
def test_a_link_for_one_signature_never_opens_another(client):
    statement = make_statement()
    sign_on(client, statement)
    sign_on(client, statement, name_en="Kesh Malek", name_ar="", contact_email="k@keshmalek.org")
    first, second = SignOn.objects.order_by("pk")
    # The second's id under the first's nonce: the nonce no longer matches.
    forged = tokens.make("signon-confirm", second.pk, first.confirm_nonce)
    assert client.post(f"/en/confirm/{forged}/").status_code == 404
    second.refresh_from_db()
    assert second.status == "unconfirmed"


@pytest.mark.django_db
def test_a_link_followed_again_acts_once_and_says_so(client):
    statement = make_statement()
    category = with_categories(statement)[0]
    client.post(f"/en/statements/{statement.slug}/join/", pledge_form(category))
    pledge = Pledge.objects.get()
    url = f"/en/pledge/confirm/{pledge.token('pledge-confirm')}/"
    first = client.post(url)
    again = client.post(url)
    assert first.status_code == again.status_code == 200
    assert first.content != again.content  # the second page says it was already done
    pledge.refresh_from_db()
    assert pledge.status == "confirmed" and pledge.confirmed_at is not None
    withdraw = f"/en/pledge/withdraw/{pledge.token('pledge-withdraw')}/"
    client.post(withdraw)
    client.post(withdraw)
    pledge.refresh_from_db()
    assert pledge.status == "withdrawn"
    assert true_counts(statement)["total"][""] == 0
