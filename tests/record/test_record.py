"""The record is public, hashed entry by entry, and any change to it or to the list is caught."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from tadamun.record import verify
from tadamun.record.models import Entry
from tadamun.signatures.models import SignOn
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(client):
    statement = make_statement()
    for name, email in (
        ("Baytna Syria", "a@b.org"),
        ("Kesh Malek", "c@d.org"),
        ("Masar", "e@f.org"),
    ):
        sign_on(client, statement, name_en=name, name_ar="", contact_email=email)
    first, second, third = SignOn.objects.order_by("pk")
    for signon in (first, second, third):
        signon.confirm()
    first.approve()
    second.approve()
    third.reject(reason="not eligible")
    second.withdraw()
    return statement


def download(client, path):
    response = client.get(path)
    return b"".join(response.streaming_content).decode()


def test_the_public_record_verifies_and_carries_no_private_data(client, history):
    text = download(client, "/data/record.jsonl")
    lines = verify.read_lines(text)
    assert [line["action"] for line in lines] == [
        "published",
        "approved",
        "approved",
        "rejected",
        "withdrawn",
    ]
    assert verify.check_log(lines)[0] == []
    for secret in ("a@b.org", "Rima", "Director", "not eligible"):
        assert secret not in text


def test_the_command_verifies_a_downloaded_record_against_the_public_list(
    client, history, tmp_path, capsys
):
    record = tmp_path / "record.jsonl"
    record.write_text(download(client, "/data/record.jsonl"))
    public = tmp_path / "list.json"
    public.write_text(download(client, f"/data/{history.slug}/signatories.json"))
    checkpoint = tmp_path / "checkpoint"
    checkpoint.write_text(client.get("/data/record/checkpoint").content.decode())
    key = client.get("/data/record/key").content.decode()
    call_command(
        "verify_record",
        str(record),
        "--list",
        str(public),
        "--checkpoint",
        str(checkpoint),
        "--key",
        key,
    )
    assert (
        "OK: 5 entries verified against 1 signed checkpoint(s) that match the log and each "
        "other; 1 public list(s) match the record" in capsys.readouterr().out
    )


def tamper(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_editing_an_entry_in_the_database_is_caught(history):
    entry = Entry.objects.get(action="withdrawn")
    tamper(
        "UPDATE record_entry SET data = %s WHERE id = %s",
        [json.dumps({**entry.data, "signature": 999}), entry.pk],
    )
    with pytest.raises(CommandError, match="does NOT verify"):
        call_command("verify_record")


def test_removing_an_entry_from_the_middle_is_caught(history):
    entry = Entry.objects.get(action="rejected")
    tamper("DELETE FROM record_entry WHERE id = %s", [entry.pk])
    problems = verify.check_log([e.public() for e in Entry.objects.order_by("sequence")])[0]
    assert any("missing" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_record")


def test_removing_the_last_entry_no_longer_accounts_for_the_list(history):
    entry = Entry.objects.get(action="withdrawn")
    tamper("DELETE FROM record_entry WHERE id = %s", [entry.pk])
    with pytest.raises(CommandError):
        call_command("verify_record")


def test_a_list_padded_behind_the_records_back_is_caught(history):
    rejected = SignOn.objects.get(status="rejected")
    tamper("UPDATE signatures_signon SET status = 'approved' WHERE id = %s", [rejected.pk])
    with pytest.raises(CommandError):
        call_command("verify_record")


def test_a_list_quietly_trimmed_is_caught(history):
    approved = SignOn.objects.get(status="approved")
    tamper("UPDATE signatures_signon SET status = 'withdrawn' WHERE id = %s", [approved.pk])
    with pytest.raises(CommandError):
        call_command("verify_record")


def test_nobody_can_edit_or_delete_an_entry_through_the_product(admin_client, history):
    entry = Entry.objects.first()
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        Entry.objects.all().delete()
    assert admin_client.get(f"/admin/record/entry/{entry.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/record/entry/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert Entry.objects.count() == 5
