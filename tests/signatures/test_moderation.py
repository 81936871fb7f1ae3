import pytest

from tadamun.record.models import Entry
from tadamun.signatures.models import Organization, SignOn
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def confirmed(client, statement, **form):
    sign_on(client, statement, **form)
    signon = SignOn.objects.latest("pk")
    signon.confirm()
    return signon


def test_the_queue_shows_only_confirmed_sign_ons_waiting(client, admin_client):
    statement = make_statement()
    sign_on(client, statement, name_en="Unconfirmed Org", name_ar="")
    confirmed(client, statement, name_en="Kesh Malek", name_ar="", contact_email="a@b.org")
    queue = admin_client.get("/admin/signatures/signon/").content.decode()
    assert "Kesh Malek" in queue and "Unconfirmed Org" not in queue


def test_bulk_approval_counts_each_once(client, admin_client):
    statement = make_statement()
    a = confirmed(client, statement, name_en="Kesh Malek", name_ar="", contact_email="a@b.org")
    b = confirmed(
        client, statement, name_en="Violet Organization", name_ar="", contact_email="c@d.org"
    )
    admin_client.post(
        "/admin/signatures/signon/", {"action": "approve", "_selected_action": [a.pk, b.pk]}
    )
    assert SignOn.objects.public().count() == 2
    assert statement.tally.organizations == 2
    assert Entry.objects.filter(action="approved").count() == 2


def test_rejection_with_a_reason_tells_the_signer(client, admin_client, smtp, run_worker):
    statement = make_statement()
    signon = confirmed(client, statement)
    page = admin_client.post(
        "/admin/signatures/signon/", {"action": "reject", "_selected_action": [signon.pk]}
    )
    assert 'name="reason"' in page.content.decode()
    admin_client.post(
        "/admin/signatures/signon/",
        {
            "action": "reject",
            "_selected_action": [signon.pk],
            "apply": "1",
            "reason": "We could not reach your organization.",
        },
    )
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.REJECTED
    assert signon.reason == "We could not reach your organization."
    run_worker()
    # The confirmation was done in code here, so the only message is the rejection.
    rejected = [m for m in smtp.wait_for(1) if "not approved" in m["Subject"]]
    assert rejected
    assert "We could not reach your organization." in rejected[0].get_body(("plain",)).get_content()
    assert "Baytna" not in client.get(statement.get_absolute_url()).content.decode()


def test_the_moderation_screen_shows_the_signals_to_trust_a_sign_on(client, admin_client):
    statement = make_statement()
    earlier = make_statement(coalition=statement.coalition)
    elsewhere = make_statement()
    for other in (earlier, elsewhere):
        confirmed(client, other).approve()
    Organization.find_or_create({"en": "Baytna Syria Foundation"})
    signon = confirmed(client, statement, contact_email="rima@baytnasyria.org")
    page = admin_client.get(f"/admin/signatures/signon/{signon.pk}/change/").content.decode()
    assert "Address at the organization&#x27;s domain:</strong> yes" in page
    assert "the website on the organization&#x27;s approved record" in page
    assert str(earlier) in page.split("from this address or domain:")[1].split("</p>")[0]
    # Another coalition's statement is never named: its signatories are its own business.
    assert str(elsewhere) not in page
    assert "Baytna Syria Foundation" in page


def test_the_domain_is_compared_with_the_approved_website_never_the_typed_one(client):
    statement, later = make_statement(), make_statement()
    new = confirmed(
        client,
        statement,
        name_en="Kesh Malek",
        name_ar="",
        contact_email="x@keshmalek.org",
        website="https://www.keshmalek.org",
    )
    # A new organization: the website it typed is its own word, so there is nothing to compare.
    assert new.email_matches_website() is None
    new.approve()
    fake = confirmed(
        client,
        later,
        name_en="Kesh Malek",
        name_ar="",
        contact_email="someone@keshmalek-verify.example",
        website="https://keshmalek-verify.example",
    )
    assert fake.email_matches_website() is False
    assert fake.held and fake.claim
    real = confirmed(
        client, later, name_en="Kesh Malek", name_ar="", contact_email="x@mail.keshmalek.org"
    )
    assert real.email_matches_website() is True
    assert real.claim and not real.held


def test_unconfirmed_sign_ons_cannot_be_approved(client):
    statement = make_statement()
    sign_on(client, statement)
    signon = SignOn.objects.get()
    with pytest.raises(ValueError):
        signon.approve()
    assert not SignOn.objects.public().exists()
