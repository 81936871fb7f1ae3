"""Contact data is deleted after the retention period; counts and the public list stay."""

import datetime

import pytest
from django.utils import timezone

from tadamun.audit.models import Event
from tadamun.record.models import Entry
from tadamun.signatures import retention
from tadamun.signatures.models import Pledge, SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement, with_categories
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def populated(client):
    statement = make_statement()
    category = with_categories(statement)[0]
    sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    kept = Pledge.objects.create(
        statement=statement,
        category=category,
        email="keep@example.org",
        wants_updates=True,
        email_hash="b" * 64,
    )
    kept.confirm()
    Pledge.objects.create(statement=statement, email="late@example.org", email_hash="c" * 64)
    return statement


def purged_counts(statement) -> dict:
    entry = Entry.objects.get(action="purged", statement_slug=statement.slug)
    return {key: entry.data[key] for key in ("signons", "pledges")}


def test_the_purge_leaves_no_contact_data_and_keeps_the_counts(client):
    statement = populated(client)
    before = client.get(statement.get_absolute_url()).content.decode()
    statement.status = "closed"
    statement.save()
    assert statement.closed_at is not None
    later = statement.closed_at + datetime.timedelta(days=91)
    assert retention.purge_due(now=later) == [statement.slug]
    signon = SignOn.objects.get()
    assert (signon.contact_name, signon.contact_email, signon.contact_role) == ("", "", "")
    assert list(Pledge.objects.values_list("email", "work_email")) == [("", "")]
    tally = Tally.objects.get(statement=statement)
    assert (tally.organizations, tally.pledges) == (1, 1)
    after = client.get(statement.get_absolute_url()).content.decode()
    assert "Baytna Syria" in before and "Baytna Syria" in after
    # One sign-on and two pledges (one kept for updates, one never confirmed) held details.
    assert purged_counts(statement) == {"signons": 1, "pledges": 2}
    assert signon.sealed_contact is None and signon.contact_hash == ""
    assert not Pledge.objects.filter(email_hash__in=["b" * 64, "c" * 64]).exists()
    # Done once.
    assert retention.purge_due(now=later) == []


def test_nothing_is_purged_before_the_period_ends(client):
    statement = populated(client)
    statement.status = "closed"
    statement.save()
    assert retention.purge_due(now=statement.closed_at + datetime.timedelta(days=89)) == []
    assert SignOn.objects.get().contact_email


def test_unconfirmed_addresses_are_forgotten_when_their_link_expires(client):
    populated(client)
    result = retention.expire_unconfirmed(now=timezone.now() + datetime.timedelta(hours=73))
    assert result["pledges"] == 1
    assert list(Pledge.objects.values_list("email", flat=True)) == ["keep@example.org"]


def test_the_housekeeping_task_runs_and_schedules_itself_again(client, run_worker, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    populated(client)
    call_command("schedule_housekeeping")
    call_command("schedule_housekeeping")
    assert DBTaskResult.objects.filter(task_path__endswith="housekeeping").count() == 1
    run_worker()
    waiting = DBTaskResult.objects.filter(task_path__endswith="housekeeping", status="READY").get()
    assert waiting.run_after > timezone.now() + datetime.timedelta(minutes=59)


def test_organizers_viewing_contact_data_is_logged(client, admin_client, admin_user):
    populated(client)
    signon = SignOn.objects.get()
    page = admin_client.get(f"/admin/signatures/signon/{signon.pk}/change/").content.decode()
    assert "rima@baytnasyria.org" in page
    event = Event.objects.get(action="viewed contact data")
    assert event.user == admin_user and event.target == f"signatures.signon#{signon.pk}"
    admin_client.get("/admin/signatures/signon/?q=rima@baytnasyria.org")
    search = Event.objects.get(action="searched sign-ons")
    assert search.detail == {"by": "e-mail address"}
    assert "rima" not in str(Event.objects.values_list("target", "detail"))
    log = admin_client.get("/admin/audit/event/").content.decode()
    assert "viewed contact data" in log


def test_the_purge_counts_only_the_rows_that_held_contact_data(client):
    statement = populated(client)
    # Many rows with nothing left to delete: imported sign-ons and pledges of people who
    # asked for no updates.
    from tadamun.signatures.imports import import_signatories

    import_signatories(statement, [{"en": f"Imported {n}"} for n in range(12)])
    for n in range(20):
        Pledge.objects.create(statement=statement, email_hash=f"{n:064d}").confirm()
    statement.status = "closed"
    statement.save()
    retention.purge(statement)
    assert purged_counts(statement) == {"signons": 1, "pledges": 2}


def test_a_search_by_address_finds_the_sign_on_without_storing_the_address(client, admin_client):
    statement = populated(client)
    found = admin_client.get("/admin/signatures/signon/?status=all&q=RIMA@baytnasyria.org")
    assert "Baytna Syria" in found.content.decode()
    missed = admin_client.get("/admin/signatures/signon/?status=all&q=other@baytnasyria.org")
    assert "Baytna Syria" not in missed.content.decode()
    assert SignOn.objects.with_address(statement, "rima@baytnasyria.org").exists()
