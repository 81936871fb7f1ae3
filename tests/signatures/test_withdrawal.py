import datetime

import pytest

from tadamun.record.models import Entry
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement
from tests.signatures.helpers import approve, confirm_link, sign_on, withdraw_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(client, admin_client, smtp, run_worker):
    statement = make_statement(strike_day=True)
    sign_on(client, statement, pauses_work="on")
    run_worker()
    client.post(confirm_link(smtp.wait_for(1)[0]))
    approve(admin_client, SignOn.objects.get())
    run_worker()
    return statement, smtp.wait_for(2)


def test_withdrawal_removes_the_name_from_the_public_list_at_once(client, approved):
    statement, (confirmation, approval) = approved
    link = withdraw_link(approval)
    # Both messages carry a withdrawal link for the same signature.
    tokens = [withdraw_link(m).rstrip("/").rsplit("/", 1)[1] for m in (confirmation, approval)]
    assert {SignOn.from_token(t, "signon-withdraw").pk for t in tokens} == {SignOn.objects.get().pk}
    # The link alone withdraws nothing: one more click does.
    page = client.get(link)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Tally.objects.get(statement=statement).organizations == 1
    assert client.post(link).status_code == 200
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Baytna Syria" not in page
    assert "<strong>0</strong> organizations have signed." in page
    tally = Tally.objects.get(statement=statement)
    assert (tally.organizations, tally.organizations_pausing) == (0, 0)


def test_the_record_keeps_that_it_withdrew_and_when(client, approved):
    statement, (_confirmation, approval) = approved
    client.post(withdraw_link(approval))
    signon = SignOn.objects.get()
    assert signon.status == SignOn.Status.WITHDRAWN and signon.withdrawn_at
    entry = Entry.objects.get(action="withdrawn")
    assert entry.statement_slug == statement.slug
    # The record's number for the signature, and the day (not the moment) it withdrew.
    assert entry.data["signature"] == signon.reference
    assert entry.at.date() == signon.withdrawn_at.astimezone(datetime.UTC).date()


def test_withdrawing_twice_is_harmless(client, approved):
    statement, (_c, approval) = approved
    link = withdraw_link(approval)
    client.post(link)
    # The link now offers only to erase the name from the record; without that, a second
    # press changes nothing.
    assert "Remove our name from the public record" in client.get(link).content.decode()
    again = client.post(link)
    assert again.status_code == 200 and "withdrawn" in again.content.decode()
    assert Entry.objects.filter(action="withdrawn").count() == 1
    assert Tally.objects.get(statement=statement).organizations == 0


def test_an_unconfirmed_sign_on_can_be_withdrawn_before_anything_is_public(
    client, smtp, run_worker
):
    statement = make_statement()
    sign_on(client, statement)
    run_worker()
    message = smtp.wait_for(1)[0]
    client.post(withdraw_link(message))
    assert SignOn.objects.get().status == SignOn.Status.WITHDRAWN
    # The confirmation link of a withdrawn sign-on confirms nothing.
    client.post(confirm_link(message))
    assert SignOn.objects.get().status == SignOn.Status.WITHDRAWN
    assert not Entry.objects.filter(action="withdrawn").exists()
