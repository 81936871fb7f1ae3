"""Every change the public can see leaves an entry in the record, and every organizer action
one in the audit log."""

import datetime

import pytest
from django.core.management import call_command

from tadamun.audit.models import Event
from tadamun.record.models import Entry
from tadamun.statements.models import Demand, DemandUpdate, Statement, StrikeDay, Update
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(Entry.objects.order_by("sequence").values_list("action", flat=True))


def test_closing_and_reopening_a_statement_are_recorded():
    statement = make_statement()
    statement.status = Statement.Status.CLOSED
    statement.save()
    statement.status = Statement.Status.OPEN
    statement.save()
    entries = Entry.objects.filter(action="status").order_by("sequence")
    assert [e.data["status"] for e in entries] == ["closed", "open"]
    call_command("verify_record")


def test_a_draft_leaves_nothing_in_the_record_until_it_is_published():
    statement = make_statement(published=False, status=Statement.Status.DRAFT)
    statement.status = Statement.Status.OPEN
    statement.save()
    StrikeDay.objects.create(statement=statement, date=datetime.date(2031, 5, 1))
    assert actions() == []


def test_closing_reconfirmation_in_the_admin_is_recorded_and_audited(admin_client):
    statement = make_statement()
    admin_client.post(
        "/admin/statements/statement/",
        {"action": "close_reconfirmation", "_selected_action": [statement.pk]},
    )
    statement.refresh_from_db()
    assert statement.reconfirmation_closed_at
    assert Entry.objects.get(action="reconfirmation_closed").data == {"closed": True}
    assert Event.objects.filter(action="closed reconfirmation").count() == 1
    # Closing it again changes nothing and says nothing.
    admin_client.post(
        "/admin/statements/statement/",
        {"action": "close_reconfirmation", "_selected_action": [statement.pk]},
    )
    assert Entry.objects.filter(action="reconfirmation_closed").count() == 1


def test_news_demand_updates_and_strike_days_are_recorded():
    statement = make_statement()
    news = Update.objects.create(statement=statement, title={"en": "Day one"}, body={"en": "…"})
    news.body = {"en": "Corrected."}
    news.save()
    demand = Demand.objects.filter(statement=statement).first()
    DemandUpdate.objects.create(
        demand=demand, status=Demand.Status.MET, note={"en": "Released."}, sources=""
    )
    day = StrikeDay.objects.create(statement=statement, date=datetime.date(2031, 5, 1))
    day.delete()
    news.delete()
    assert actions()[1:] == [
        "news",
        "news",
        "demand_updated",
        "strike_day",
        "strike_day_removed",
        "news_removed",
    ]
    first, second = Entry.objects.filter(action="news").order_by("sequence")
    # The text is not in the record, but any change to it is.
    assert first.data["content_hash"] != second.data["content_hash"]
    assert Entry.objects.get(action="demand_updated").data["status"] == "met"
    call_command("verify_record")


def test_an_organizer_changing_a_statement_in_the_admin_is_audited(admin_client):
    statement = make_statement()
    page = admin_client.get(f"/admin/statements/statement/{statement.pk}/change/")
    assert page.status_code == 200
    admin_client.post(
        "/admin/statements/statement/",
        {"action": "publish", "_selected_action": [statement.pk]},
    )
    statement.title = {"en": "A new title", "ar": "عنوان جديد"}
    statement.save()
    admin_client.post(
        "/admin/statements/statement/",
        {"action": "publish", "_selected_action": [statement.pk]},
    )
    assert Event.objects.filter(action="published").count() == 1
