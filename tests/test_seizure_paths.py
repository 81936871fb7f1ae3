"""Paths the seizure test's run (tests/test_seizure.py) does not take, played as the same
attacker: whoever copies the database and reads the site's log must find no signer's address
there, nor a colleague's, after a mail server refuses them, after organizers search, look at
and decide sign-ons on the desk, and after a list with addresses in it is imported."""

import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tadamun.record.management.commands.backup import pg_url
from tadamun.signatures import retention
from tadamun.signatures.models import Pledge, SignOn
from tests.desk.helpers import organizer, waiting
from tests.factories import make_coalition, make_statement, pledge_form, with_categories
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db(transaction=True)


def database_bytes() -> bytes:
    """Every byte the database holds, as a copy of it gives them."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        files = [Path(f"{name}{suffix}") for suffix in ("", "-wal")]
        return b"".join(path.read_bytes() for path in files if path.exists())
    return subprocess.run(
        ["pg_dump", "--format=plain", "--dbname", pg_url(connection.settings_dict)],
        capture_output=True,
        check=True,
    ).stdout


def site_log(caplog) -> str:
    """What the site's own loggers wrote (the test's SMTP server logs every address it is
    given: it stands for the mail provider, not for this server)."""
    return "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("mail.")
    )


def found(address: str, data: bytes, log: str) -> list[str]:
    places = []
    if address.encode() in data.lower():
        places.append("database")
    if address in log.lower():
        places.append("log")
    return places


def test_addresses_a_mail_server_refuses_stay_out_of_task_results_and_the_log(
    client, smtp, run_worker, settings, caplog
):
    settings.MAIL_ATTEMPTS = 2
    settings.MAIL_RETRY_SECONDS = 0
    signer, colleague = "refused.signer@zeta-relief.org", "refused.colleague@example.org"
    # The server says no to both addresses (550): the error it raises names them.
    smtp.refuse |= {signer, colleague}
    statement = make_statement()
    sign_on(client, statement, contact_email=signer)
    client.force_login(organizer(statement.coalition, role="owner"))
    team = f"/en/desk/coalitions/{statement.coalition.pk}/team/"
    assert client.post(team, {"email": colleague, "role": "editor"}).status_code == 302
    client.logout()
    for _attempt in range(settings.MAIL_ATTEMPTS):
        run_worker()
    assert smtp.messages == []
    log = site_log(caplog)
    assert "not sent" in log  # the refusals were logged, and retried
    data = database_bytes()
    assert b"FAILED" in data  # the task results that gave up are there to read
    assert found(signer, data, log) == []
    # The colleague's own address is on their account, as it must be; not in the log.
    assert found(colleague, b"", log) == []


def test_organizers_searching_viewing_and_deciding_leave_no_address_behind(
    client, admin_client, caplog
):
    statement = make_statement()
    address = "hidden.contact@eta-network.org"
    pending = waiting(statement, name="Eta Network", email=address)
    other = waiting(statement, name="Theta Aid", email="theta.contact@theta-aid.org")
    assert admin_client.get("/admin/signatures/signon/", {"q": address}).status_code == 200
    assert admin_client.get(f"/admin/signatures/signon/{pending.pk}/change/").status_code == 200
    client.force_login(organizer(statement.coalition))
    desk = f"/en/desk/statements/{statement.pk}/moderation/"
    page = client.get(desk).content.decode()
    assert address in page and "Rima Haddad" in page  # the desk reads the contact…
    client.post(f"{desk}{pending.pk}/approve/", {"page": "1"})
    client.post(f"{desk}{other.pk}/reject/", {"reason": "Not an organization.", "page": "1"})
    client.get(desk)
    data = database_bytes()
    assert found(address, data, site_log(caplog)) == []  # …and keeps it nowhere in clear
    assert found("theta.contact@theta-aid.org", data, site_log(caplog)) == []
    assert b"Rima Haddad" not in data and b"Director" not in data
    assert SignOn.objects.get(pk=pending.pk).status == SignOn.Status.APPROVED


def test_a_list_imported_with_addresses_in_it_keeps_none(client):
    statement = make_statement(coalition=make_coalition())
    client.force_login(organizer(statement.coalition))
    csv = (
        "name_en,email,contact person\n"
        "Iota Relief,iota.contact@iota-relief.org,Samir Iota\n"
        "Kappa Aid,kappa.contact@kappa-aid.org,Mona Kappa\n"
    )
    upload = SimpleUploadedFile("list.csv", csv.encode(), content_type="text/csv")
    response = client.post(
        f"/en/desk/statements/{statement.pk}/import/", {"file": upload, "country": "Syria"}
    )
    job = response["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(f"/en/desk/imports/{job}/confirm/", {"confirm": "1"})
    assert SignOn.objects.filter(statement=statement, imported=True).count() == 2
    data = database_bytes()
    for value in ("iota.contact@iota-relief.org", "kappa.contact@kappa-aid.org"):
        assert found(value, data, "") == []
    assert b"Samir Iota" not in data and b"Mona Kappa" not in data


def test_a_pledger_who_withdraws_leaves_no_public_name_behind(client):
    statement = make_statement()
    category = with_categories(statement)[0]
    for email, name in (("ghada@example.org", "Ghada Tamer"), ("fadi@example.org", "Fadi Nouri")):
        form = pledge_form(category, email=email, appearance="named", public_name=name)
        assert client.post(f"/en/statements/{statement.slug}/join/", form).status_code == 302
    leaving, staying = Pledge.objects.order_by("pk")
    leaving.confirm()
    staying.confirm()
    # A name the pledger chose to show is public while the pledge counts…
    assert b"Ghada Tamer" in database_bytes()
    leaving.withdraw()
    # …but once withdrawn, a copy of the database must not say that this person pledged
    # (after the hourly housekeeping has emptied SQLite's journal of the old page).
    retention.truncate_journal()
    data = database_bytes()
    assert b"Ghada Tamer" not in data and b"Fadi Nouri" in data
    page = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert "Ghada Tamer" not in page


def test_a_rejected_sign_on_whose_message_cannot_be_delivered_loses_its_address_too(
    client, smtp, run_worker, settings
):
    settings.MAIL_ATTEMPTS = 1
    statement = make_statement()
    address = "gone.mailbox@lambda-relief.org"
    signon = waiting(statement, name="Lambda Relief", email=address)
    smtp.refuse.add(address)
    signon.reject(reason="Not an organization we know.")
    run_worker()
    # The server kept the address only to send this message; it will never go.
    assert SignOn.objects.get(pk=signon.pk).contact_email == ""
