"""The same sign-on form sent again (the back button, a second click) is one sign-on and one
message, and the signer is told what happened; nobody else learns anything from it."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tadamun.signatures.models import Organization, SignOn
from tests.factories import make_statement
from tests.signatures.helpers import confirm_link, sign_on

pytestmark = pytest.mark.django_db


def sent_page(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_same_form_sent_three_times_is_one_sign_on_and_one_message(client, smtp, run_worker):
    statement = make_statement()
    first = sign_on(client, statement)
    assert first["Location"] == f"/en/statements/{statement.slug}/sign/sent/"
    second = sign_on(client, statement)
    third = sign_on(client, statement)
    signon = SignOn.objects.get()
    assert signon.times_submitted == 3
    assert signon.mails_sent == 1
    # The organization the copies proposed is the first one's: no stray proposals are left.
    assert Organization.objects.get() == signon.organization
    run_worker()
    assert len(smtp.wait_for(1)) == 1
    assert second["Location"].endswith("?again=wait")
    page = sent_page(client, third)
    assert "we kept one sign-on, not two" in page
    assert "We did not send the message again: the last one left less than 10 minutes" in page


def test_after_a_while_the_same_form_sends_the_same_link_again(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    SignOn.objects.update(last_mailed_at=timezone.now() - datetime.timedelta(minutes=11))
    again = sign_on(client, statement)
    assert "We have sent the confirmation message again" in sent_page(client, again)
    run_worker()
    first, second = smtp.wait_for(2)
    assert len(smtp.messages) == 2
    # Both messages confirm the one sign-on.
    assert client.post(confirm_link(second)).status_code == 200
    assert SignOn.objects.get().status == SignOn.Status.PENDING


def test_the_message_is_not_sent_more_often_than_allowed(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    SignOn.objects.update(
        mails_sent=settings.MAX_CONFIRMATION_MAILS,
        last_mailed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    again = sign_on(client, statement)
    assert "it has already been sent as many times as we allow" in sent_page(client, again)
    run_worker()
    assert len(smtp.wait_for(1)) == 1


def test_a_confirmed_sign_on_sent_again_is_neither_repeated_nor_mailed(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    run_worker()
    [message] = smtp.wait_for(1)
    client.post(confirm_link(message))
    page = sent_page(client, sign_on(client, statement))
    assert "You have already confirmed it by e-mail" in page
    assert "We have sent a message" not in page
    run_worker()
    assert len(smtp.messages) == 1
    signon = SignOn.objects.get()
    assert signon.status == SignOn.Status.PENDING and signon.times_submitted == 2


def test_another_browser_sending_the_same_form_learns_nothing_from_the_answer(
    client, smtp, run_worker
):
    statement = make_statement()
    sign_on(client, statement)
    run_worker()
    smtp.wait_for(1)
    SignOn.objects.get().confirm()
    stranger = Client()
    response = sign_on(stranger, statement)
    # The answer a first submission gets, word for word.
    assert response["Location"] == f"/en/statements/{statement.slug}/sign/sent/"
    assert "already" not in sent_page(stranger, response)
    assert SignOn.objects.count() == 1
    run_worker()
    assert len(smtp.messages) == 1


def test_a_changed_form_is_a_new_sign_on(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    response = sign_on(client, statement, listing=SignOn.Listing.COUNTED)
    assert "?again" not in response["Location"]
    assert SignOn.objects.count() == 2
    run_worker()
    assert len(smtp.wait_for(2)) == 2


def test_a_sign_on_whose_link_expired_is_not_reused(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    SignOn.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.CONFIRMATION_HOURS + 1)
    )
    sign_on(client, statement)
    assert SignOn.objects.count() == 2
    run_worker()
    assert len(smtp.wait_for(2)) == 2


def test_the_address_is_compared_whatever_its_case(client):
    statement = make_statement()
    sign_on(client, statement)
    sign_on(client, statement, contact_email="Rima@BaytnaSyria.org")
    assert SignOn.objects.get().times_submitted == 2
