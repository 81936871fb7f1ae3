"""Consent is the signatory's: how it is listed, the name it gave and its withdrawal change
only through the link sent to its confirmed address, never through an organizer's page."""

import pytest

from tadamun.record import models as record
from tadamun.record.models import Entry
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import ConsentRequired, Organization, SignOn
from tadamun.statements.models import Tally
from tests.accounts.test_attacks import approved, organizer, text
from tests.factories import make_statement
from tests.signatures.helpers import links_in, path_of

pytestmark = pytest.mark.django_db


def details_link(message) -> str:
    return next(path_of(u) for u in links_in(message) if "/listing/" in u)


def ask_for_the_link(client, statement, signon):
    client.force_login(organizer(statement.coalition))
    return client.post(
        "/admin/signatures/signon/?status=all",
        {"action": "send_details_link", "_selected_action": [signon.pk]},
        follow=True,
    )


def test_an_organization_counted_without_its_name_shows_it_through_its_own_link(
    client, smtp, run_worker
):
    statement = make_statement()
    signon = approved(client, statement, listing="counted")
    run_worker()
    before = len(smtp.messages)
    ask_for_the_link(client, statement, signon)
    run_worker()
    [message] = smtp.wait_for(before + 1)[before:]
    assert message["To"] == "rima@baytnasyria.org"
    link = details_link(message)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert 'value="counted" id="id_listing_1" required checked' in page.content.decode()
    done = client.post(
        link, {"listing": "named", "name_en": "Baytna Syria", "name_ar": "بيتنا سوريا"}
    )
    assert done.status_code == 200
    signon.refresh_from_db()
    assert signon.listing == "named"
    assert "Baytna Syria" in text(client.get(f"/data/{statement.slug}/signatories.csv"))
    assert Tally.objects.get(statement=statement).organizations_named == 1
    entry = Entry.objects.get(action="amended")
    assert entry.data["listed"] is True and entry.data["signature"] == signon.pk
    assert record.disclosed(signon.pk)["name"]["en"] == "Baytna Syria"
    # The link works once.
    assert client.get(link).status_code == 404


def test_an_organization_renames_itself_and_every_list_follows(client, smtp, run_worker):
    statement = make_statement()
    signon = approved(client, statement)
    signon.send_details_link()
    run_worker()
    message = smtp.to("rima@baytnasyria.org")[-1]
    client.post(
        details_link(message),
        {"listing": "named", "name_en": "Baytna Network", "name_ar": "شبكة بيتنا"},
    )
    for language, name in (("en", "Baytna Network"), ("ar", "شبكة بيتنا")):
        assert name in client.get(f"/{language}/statements/{statement.slug}/").content.decode()
    assert Entry.objects.get(action="renamed").data["signature"] == signon.pk
    assert record.disclosed(signon.pk)["name"]["en"] == "Baytna Network"
    # The new spelling now finds the same organization.
    assert Organization.find_or_create({"en": "Baytna Network"}).pk == signon.organization_id


def test_no_page_can_make_these_changes_for_the_signatory(client):
    statement = make_statement()
    signon = approved(client, statement, listing="counted")
    signon.listing = "named"
    with pytest.raises(ConsentRequired):
        signon.save()
    signon.refresh_from_db()
    organization = signon.organization
    organization.name = {"en": "Agents"}
    with pytest.raises(ConsentRequired):
        organization.save()
    signon.refresh_from_db()
    signon.withdraw()
    signon.status = "approved"
    with pytest.raises(ConsentRequired):
        signon.save(update_fields=["status"])
    assert SignOn.objects.get(pk=signon.pk).status == "withdrawn"


def test_an_import_does_not_put_back_an_organization_that_withdrew(client):
    statement = make_statement()
    signon = approved(client, statement)
    signon.withdraw()
    assert import_signatories(statement, [{"en": "Baytna Syria"}]) == []
    assert not SignOn.objects.public().filter(statement=statement).exists()


def test_a_moderator_cannot_merge_away_an_organization_that_signed_itself(client):
    statement = make_statement()
    signon = approved(client, statement)
    import_signatories(statement, [{"en": "Agents of the Regime"}])
    fake = Organization.objects.get(names__name="Agents of the Regime")
    client.force_login(organizer(statement.coalition))
    page = client.post(
        "/admin/signatures/organization/",
        {
            "action": "merge",
            "_selected_action": [fake.pk, signon.organization_id],
            "apply": "1",
            "keep": fake.pk,
        },
        follow=True,
    )
    assert "only an administrator can merge it" in page.content.decode()
    signon.refresh_from_db()
    assert signon.organization.name["en"] == "Baytna Syria"
    assert Organization.objects.filter(pk=fake.pk).exists()
    assert "Baytna Syria" in client.get(f"/en/statements/{statement.slug}/").content.decode()


def test_the_record_still_accounts_for_the_list_after_the_signatory_changes_its_listing(
    client, capsys
):
    from django.core.management import call_command

    statement = make_statement()
    named = approved(client, statement)
    counted = approved(
        client,
        statement,
        name_en="Kesh Malek",
        name_ar="",
        listing="counted",
        contact_email="k@keshmalek.org",
    )
    counted.change_details("named", {})
    named.change_details("counted", {})
    call_command("verify_record")
    assert "OK" in capsys.readouterr().out
    listed = text(client.get(f"/data/{statement.slug}/signatories.json"))
    assert "Kesh Malek" in listed and "Baytna" not in listed


def test_a_merge_does_not_tie_a_signature_counted_without_its_name_to_an_organization(client):
    statement = make_statement()
    other = make_statement(coalition=statement.coalition)
    import_signatories(statement, [{"en": "Hope Team"}])
    import_signatories(other, [{"en": "Hope Teem"}])
    hidden = SignOn.objects.get(statement=other)
    SignOn.objects.filter(pk=hidden.pk).update(listing="counted")
    keep = SignOn.objects.get(statement=statement).organization
    keep.merge(hidden.organization)
    entry = Entry.objects.get(action="merged")
    assert "kept" not in entry.data and "merged" not in entry.data
    assert keep.pk not in entry.data.values()
