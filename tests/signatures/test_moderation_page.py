"""Approve and Reject on a sign-on's own admin page: the same step as the list's actions, for
those who may moderate the sign-on's coalition."""

import pytest
from django.contrib.auth.models import User

from tadamun.audit.models import Event
from tadamun.record.models import Entry
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Membership
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def waiting(client, statement, **form) -> SignOn:
    sign_on(client, statement, **form)
    signon = SignOn.objects.latest("pk")
    signon.confirm()
    return signon


def organizer(statement, role: str) -> User:
    user = User.objects.create_user(f"{role}-{statement.pk}", password="x", is_staff=True)
    Membership.objects.create(user=user, coalition=statement.coalition, role=role)
    return user


def decide(client, signon, decision: str, reason: str = ""):
    return client.post(
        f"/admin/signatures/signon/{signon.pk}/decide/",
        {"decision": decision, "reason": reason},
        follow=True,
    )


def test_a_waiting_sign_on_page_offers_approve_and_reject_with_a_reason(client, admin_client):
    signon = waiting(client, make_statement())
    page = admin_client.get(f"/admin/signatures/signon/{signon.pk}/change/").content.decode()
    assert 'value="approve"' in page and 'value="reject"' in page
    assert 'textarea name="reason"' in page


def test_a_moderator_approves_from_the_page_as_the_list_would(client):
    statement = make_statement()
    signon = waiting(client, statement)
    client.force_login(organizer(statement, "moderator"))
    page = decide(client, signon, "approve")
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.APPROVED
    assert signon.decided_by.username.startswith("moderator")
    assert statement.tally.organizations == 1
    assert Entry.objects.filter(action="approved").count() == 1
    assert Event.objects.filter(action="approved").count() == 1
    # The same message as the list's action, on the sign-on's page, now with nothing to decide.
    assert "1 sign-on approved." in page.content.decode()
    assert page.redirect_chain[-1][0] == f"/admin/signatures/signon/{signon.pk}/change/"
    assert 'value="approve"' not in page.content.decode()


def test_the_reason_typed_on_the_page_goes_with_the_rejection(client, admin_client):
    signon = waiting(client, make_statement())
    page = decide(admin_client, signon, "reject", "  We could not reach your organization. ")
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.REJECTED
    assert signon.reason == "We could not reach your organization."
    assert "1 sign-on rejected." in page.content.decode()
    assert Event.objects.get(action="rejected").detail["reason"] == signon.reason


def test_deciding_again_says_why_nothing_happened(client, admin_client):
    signon = waiting(client, make_statement())
    decide(admin_client, signon, "approve")
    page = decide(admin_client, signon, "reject").content.decode()
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.APPROVED
    assert "Only confirmed sign-ons waiting for approval can be rejected." in page


@pytest.mark.parametrize("role", ["editor", "stranger"])
def test_who_may_not_moderate_the_coalition_cannot_decide_from_the_page(client, role):
    statement = make_statement()
    signon = waiting(client, statement)
    if role == "stranger":
        user = organizer(make_statement(), "owner")
    else:
        user = organizer(statement, role)
    client.force_login(user)
    response = client.post(f"/admin/signatures/signon/{signon.pk}/decide/", {"decision": "approve"})
    assert response.status_code in (403, 404)
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING


def test_the_buttons_answer_only_a_post_with_a_known_decision(client, admin_client):
    signon = waiting(client, make_statement())
    url = f"/admin/signatures/signon/{signon.pk}/decide/"
    assert admin_client.get(url).status_code == 405
    assert admin_client.post(url, {"decision": "publish"}).status_code == 400
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
