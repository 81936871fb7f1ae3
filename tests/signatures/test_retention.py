"""Contact data is deleted after the retention period; counts and the public list stay."""

import datetime

import pytest
from django.utils import timezone

from tadamun.audit.models import Event
from tadamun.record.models import Entry
from tadamun.signatures import retention
from tadamun.signatures.models import Pledge, SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement, true_counts, with_categories
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
    assert Tally.objects.get(statement=statement).organizations == 1
    assert true_counts(statement)["total"][""] == 1
    after = client.get(statement.get_absolute_url()).content.decode()
    assert "Baytna Syria" in before and "Baytna Syria" in after
    assert Entry.objects.filter(action="purged", statement_slug=statement.slug).exists()
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
    assert not Pledge.objects.filter(email="late@example.org").exists()


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
    admin_client.get("/admin/signatures/signon/?q=rima")
    assert Event.objects.filter(action="searched sign-ons", detail__query="rima").exists()
    log = admin_client.get("/admin/audit/event/").content.decode()
    assert "viewed contact data" in log
