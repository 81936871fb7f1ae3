"""The moderation desk: what waits, one card per submission with its signals, Approve and
Reject on the card; nothing of another coalition ever shows."""

import pytest

from tadamun.audit.models import Event
from tadamun.localization import format_datetime
from tadamun.signatures.models import SignOn
from tests.desk.helpers import organizer, waiting
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def desk(statement) -> str:
    return f"/en/desk/statements/{statement.pk}/moderation/"


def test_each_waiting_sign_on_is_a_card_with_its_signals_and_buttons(client):
    statement = make_statement(strike_day=True)
    earlier = make_statement(coalition=statement.coalition)
    # Both organizations are listed already, with their websites approved.
    waiting(earlier).approve()
    waiting(earlier, name="Kesh Malek", email="k@keshmalek.org", website="https://keshmalek.org")
    SignOn.objects.filter(status="pending").get().approve()
    match = waiting(statement, listing=SignOn.Listing.COUNTED, pauses_work=True)
    gmail = waiting(
        statement, name="Kesh Malek", email="kesh@gmail.com", website="https://keshmalek.org"
    )
    new = waiting(statement, name="Violet Organization", email="v@violet.org", website="")
    client.force_login(organizer(statement.coalition))
    page = client.get(desk(statement)).content.decode()
    assert "3 sign-ons wait for your decision." in page
    assert page.count('class="card signon"') == 3
    assert (
        "The address is at baytnasyria.org, the website on the organization&#x27;s approved record."
    ) in page
    assert "The address is not at keshmalek.org" in page
    assert "A new organization: there is no approved website to compare" in page
    assert "it names an organization already listed, from an address outside its domain" in page
    assert f'id="release-{gmail.pk}"' in page and f'id="release-{match.pk}"' not in page
    assert f'id="release-{new.pk}"' not in page
    assert "Signed this coalition's earlier statements from this address or domain" in page
    assert "counted, name not published" in page and "pauses work" in page
    for signon in (match, gmail):
        approve = f'action="/en/desk/statements/{statement.pk}/moderation/{signon.pk}/approve/"'
        reject = f'action="/en/desk/statements/{statement.pk}/moderation/{signon.pk}/reject/"'
        assert f'<form method="post" {approve}' in page
        assert f'<form method="post" {reject}' in page
    assert page.count('<button type="submit" class="button approve">Approve') == 3
    # Who looked at the contact data is logged.
    assert Event.objects.filter(action="viewed contact data").count() == 1


def test_the_arabic_desk_writes_dates_as_syria_does(client):
    statement = make_statement()
    signon = waiting(statement)
    client.force_login(organizer(statement.coalition))
    page = client.get(f"/ar/desk/statements/{statement.pk}/moderation/").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert format_datetime(signon.confirmed_at, "short", language="ar") in page


def test_approving_on_the_card_publishes_the_signature_and_tells_the_signer(
    client, smtp, run_worker
):
    statement = make_statement()
    signon = waiting(statement)
    moderator = organizer(statement.coalition)
    client.force_login(moderator)
    response = client.post(f"{desk(statement)}{signon.pk}/approve/")
    assert response.status_code == 302
    assert response["Location"] == desk(statement) + "#messages"
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.APPROVED and signon.decided_by == moderator
    page = client.get(response["Location"]).content.decode()
    assert "Baytna Syria is approved and on the public list." in page
    assert "0 sign-ons wait" in page
    assert "<bdi>Baytna Syria</bdi>" in client.get(statement.get_absolute_url()).content.decode()
    run_worker()
    [message] = smtp.wait_for(1)
    assert "approved" in message["Subject"]


def test_rejecting_without_a_reason_says_so_and_changes_nothing(client, smtp, run_worker):
    statement = make_statement()
    signon = waiting(statement)
    client.force_login(organizer(statement.coalition))
    response = client.post(f"{desk(statement)}{signon.pk}/reject/", {"reason": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the reason the signer will read, then reject." in page
    assert f'aria-describedby="reason-{signon.pk}-error"' in page
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
    run_worker()
    assert smtp.messages == []


def test_rejecting_with_a_reason_tells_the_signer_the_reason(client, smtp, run_worker):
    statement = make_statement()
    signon = waiting(statement)
    client.force_login(organizer(statement.coalition, role="owner"))
    client.post(
        f"{desk(statement)}{signon.pk}/reject/", {"reason": "We could not reach you by phone."}
    )
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.REJECTED
    assert signon.reason == "We could not reach you by phone."
    run_worker()
    [message] = smtp.wait_for(1)
    assert "We could not reach you by phone." in message.get_body(("plain",)).get_content()


def test_identical_waiting_submissions_are_one_card_and_one_decision(client, smtp, run_worker):
    statement = make_statement()
    copies = [waiting(statement) for _ in range(3)]
    other = waiting(statement, name="Baytna Syria", email="someone@else.org")
    client.force_login(organizer(statement.coalition))
    page = client.get(desk(statement)).content.decode()
    assert page.count('class="card signon"') == 2
    assert "submitted 3 times" in page
    assert "(4 submissions: a form sent several times is shown once.)" in page
    # The other contact for the same organization is shown as a possible duplicate.
    assert "Another sign-on for the same organization waits" in page
    client.post(f"{desk(statement)}{copies[0].pk}/approve/")
    statuses = [SignOn.objects.get(pk=copy.pk).status for copy in copies]
    assert statuses == ["approved", "duplicate", "duplicate"]
    assert statement.tally.organizations == 1
    # The decision sealed the contact for the organizers; the copies keep none of it.
    kept, *folded = SignOn.objects.filter(pk__in=[c.pk for c in copies]).order_by("pk")
    assert kept.sealed_contact is not None and kept.contact_name == ""
    assert [(c.contact_name, c.contact_role, c.contact_email) for c in folded] == [("", "", "")] * 2
    run_worker()
    assert len(smtp.wait_for(1)) == 1  # one approval message, not three
    # The other contact's sign-on now claims the organization approved meanwhile.
    response = client.post(f"{desk(statement)}{other.pk}/approve/", follow=True)
    assert "Another sign-on under this name was approved meanwhile" in response.content.decode()
    other.refresh_from_db()
    assert other.status == SignOn.Status.PENDING and other.claim and other.held


def test_a_sign_on_decided_meanwhile_is_reported_not_decided_twice(client):
    statement = make_statement()
    signon = waiting(statement)
    client.force_login(organizer(statement.coalition))
    client.post(f"{desk(statement)}{signon.pk}/approve/")
    page = client.post(
        f"{desk(statement)}{signon.pk}/reject/", {"reason": "Too late"}, follow=True
    ).content.decode()
    assert "Only confirmed sign-ons waiting for approval can be rejected." in page
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.APPROVED


def test_an_editor_may_not_moderate(client):
    statement = make_statement()
    signon = waiting(statement)
    client.force_login(organizer(statement.coalition, role="editor"))
    assert client.get(desk(statement)).status_code == 404
    assert client.post(f"{desk(statement)}{signon.pk}/approve/").status_code == 404
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
    assert "/moderation/" not in client.get("/en/desk/").content.decode()


def test_a_moderator_of_another_coalition_sees_and_decides_nothing(client):
    statement = make_statement()
    signon = waiting(statement)
    mine = make_statement()
    client.force_login(organizer(mine.coalition))
    assert client.get(desk(statement)).status_code == 404
    # Not through their own statement's address either.
    assert client.post(f"{desk(mine)}{signon.pk}/approve/").status_code == 404
    assert client.post(f"{desk(statement)}{signon.pk}/approve/").status_code == 404
    response = client.post(f"{desk(statement)}{signon.pk}/reject/", {"reason": "no"})
    assert response.status_code == 404
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING


def test_the_card_shows_only_this_coalitions_statements_and_organizations(client):
    statement = make_statement()
    earlier = make_statement(coalition=statement.coalition)
    elsewhere = make_statement()
    # The organization signed both coalitions' statements; the other coalition also has an
    # organization with a similar name that asked to be counted without its name.
    waiting(earlier).approve()
    waiting(elsewhere).approve()
    waiting(
        elsewhere, name="Baytna Syria Group", email="x@group.org", listing=SignOn.Listing.COUNTED
    ).approve()
    waiting(earlier, name="Baytna Syrian Network", email="y@net.org").approve()
    signon = waiting(statement)
    client.force_login(organizer(statement.coalition))
    page = client.get(desk(statement)).content.decode()
    assert f'id="card-{signon.pk}"' in page
    assert earlier.working_title("en") in page
    assert elsewhere.working_title("en") not in page
    assert "Baytna Syrian Network" in page
    assert "Baytna Syria Group" not in page


def test_the_dashboard_links_each_statement_to_its_desk_with_its_count(client):
    statement = make_statement()
    waiting(statement)
    waiting(statement, name="Kesh Malek", email="k@keshmalek.org")
    client.force_login(organizer(statement.coalition))
    page = client.get("/en/desk/").content.decode()
    assert f'href="/en/desk/statements/{statement.pk}/moderation/">Moderation: 2 waiting' in page


def test_a_held_claim_is_approved_only_once_the_moderator_checked_with_the_organization(
    client,
):
    statement = make_statement()
    waiting(make_statement(coalition=statement.coalition)).approve()
    held = waiting(statement, email="someone@gmail.com")
    assert held.held
    client.force_login(organizer(statement.coalition))
    response = client.post(f"{desk(statement)}{held.pk}/approve/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the box once you have checked with the organization" in page
    assert f'aria-describedby="release-{held.pk}-error"' in page
    held.refresh_from_db()
    assert held.status == SignOn.Status.PENDING
    client.post(f"{desk(statement)}{held.pk}/approve/", {"release": "1"})
    held.refresh_from_db()
    assert held.status == SignOn.Status.APPROVED
    assert Event.objects.filter(action="approved a held claim").count() == 1


def test_proposed_details_are_shown_beside_the_approved_ones(client):
    statement = make_statement()
    waiting(make_statement(coalition=statement.coalition)).approve()
    waiting(statement, names={"en": "Baytna Syria", "ar": "بيتنا سوريا"})
    client.force_login(organizer(statement.coalition))
    page = client.get(desk(statement)).content.decode()
    assert "It proposes other public details than the organization" in page
    assert "<td><bdi>بيتنا سوريا</bdi></td>" in page


@pytest.mark.parametrize(("role", "shown"), [("moderator", True), ("editor", False)])
def test_the_statements_desk_page_links_to_moderation_and_imports_for_those_who_may(
    client, role, shown
):
    statement = make_statement(strike_day=True)
    client.force_login(organizer(statement.coalition, role=role))
    page = client.get(f"/en/desk/statements/{statement.pk}/").content.decode()
    assert (f'href="{desk(statement)}"' in page) is shown
    assert (f'href="/en/desk/statements/{statement.pk}/import/"' in page) is shown
    assert f'href="/en/desk/statements/{statement.pk}/notices/"' in page
