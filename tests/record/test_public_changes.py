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


# Every other change an organizer can make to what readers see, each through the admin as an
# organizer makes it, each followed by the verifier (the attack: a change with no entry, or
# one that breaks verification, as a new web address did).


@pytest.fixture
def live(admin_client):
    from tadamun.signatures.imports import import_signatories
    from tests.factories import with_categories

    statement = make_statement(strike_day=True)
    with_categories(statement)
    import_signatories(statement, [{"en": "Baytna Syria", "ar": "بيتنا سوريا"}])
    demand = Demand.objects.filter(statement=statement).first()
    DemandUpdate.objects.create(demand=demand, status=Demand.Status.MET, note={"en": "Freed."})
    return statement


def change_in_admin(admin_client, path: str, form_id: str, **changes):
    from tests.record.forms import form_data

    page = admin_client.get(path).content.decode()
    response = admin_client.post(path, form_data(page, form_id, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]


def change_statement(admin_client, statement, **changes):
    path = f"/admin/statements/statement/{statement.pk}/change/"
    change_in_admin(admin_client, path, "statement_form", **changes)


def change_coalition(admin_client, statement, **changes):
    path = f"/admin/statements/coalition/{statement.coalition_id}/change/"
    change_in_admin(admin_client, path, "coalition_form", **changes)


def remove_demand_update(admin_client, statement):
    update = DemandUpdate.objects.get(demand__statement=statement)
    path = f"/admin/statements/demandupdate/{update.pk}/delete/"
    assert admin_client.post(path, {"post": "yes"}).status_code == 302


CHANGES = {
    "demand_update_removed": remove_demand_update,
    "demand status": lambda c, s: change_statement(c, s, **{"demands-1-status": "refused"}),
    "demand text": lambda c, s: change_statement(c, s, **{"demands-0-text_en": "Free them"}),
    "demand position": lambda c, s: change_statement(
        c, s, **{"demands-0-position": "3", "demands-1-position": "1"}
    ),
    "demand removed": lambda c, s: change_statement(c, s, **{"demands-1-DELETE": "on"}),
    "web address": lambda c, s: change_statement(c, s, slug="a-new-address"),
    "kind": lambda c, s: change_statement(c, s, kind="strike"),
    "authoritative language": lambda c, s: change_statement(c, s, authoritative_language="en"),
    "coalition name": lambda c, s: change_coalition(c, s, name_en="Renamed coalition"),
    "coalition description": lambda c, s: change_coalition(c, s, description_en="Who we are."),
    "pledge category name": lambda c, s: change_statement(
        c, s, **{"pledge_categories-0-name_en": "Aid workers"}
    ),
    "pledge category removed": lambda c, s: change_statement(
        c, s, **{"pledge_categories-2-DELETE": "on"}
    ),
}

EXPECTED = {
    "demand_update_removed": ("demand_update_removed", {"status": "open"}),
    "demand status": ("demand", {"status": "refused"}),
    "demand text": ("demand", {"status": "met"}),
    "demand position": ("demand", {"position": 1}),
    "demand removed": ("demand_removed", {}),
    "web address": ("moved", {"to": "a-new-address"}),
    "kind": ("settings", {"kind": "strike"}),
    "authoritative language": ("settings", {"authoritative_language": "en"}),
    "coalition name": ("coalition", {}),
    "coalition description": ("coalition", {}),
    "pledge category name": ("pledge_category", {"position": 1}),
    "pledge category removed": ("pledge_category_removed", {}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_public_change_is_recorded_and_the_record_still_verifies(
    admin_client, client, live, change, tmp_path
):
    before = Entry.objects.count()
    CHANGES[change](admin_client, live)
    action, facts = EXPECTED[change]
    new = list(Entry.objects.filter(sequence__gt=before).order_by("sequence"))
    found = [e for e in new if e.action == action]
    assert found, f"{change}: no {action} entry among {[e.action for e in new]}"
    assert all(found[-1].data.get(key) == value for key, value in facts.items()), found[-1].data
    call_command("verify_record")
    # And from outside, as anyone verifies it: the downloaded log, its checkpoint and the
    # statement's list at its address now.
    live.refresh_from_db()
    files = {
        "record.jsonl": "/data/record.jsonl",
        "list.json": f"/data/{live.slug}/signatories.json",
        "checkpoint": "/data/record/checkpoint",
    }
    for name, path in files.items():
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        (tmp_path / name).write_bytes(body)
    key = client.get("/data/record/key").content.decode()
    call_command(
        "verify_record",
        str(tmp_path / "record.jsonl"),
        "--list",
        str(tmp_path / "list.json"),
        "--checkpoint",
        str(tmp_path / "checkpoint"),
        "--key",
        key,
    )


def test_saving_the_statement_unchanged_adds_nothing_to_the_record(admin_client, live):
    before = Entry.objects.count()
    change_statement(admin_client, live)
    change_coalition(admin_client, live)
    assert Entry.objects.count() == before
