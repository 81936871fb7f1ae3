"""Contact details are encrypted at rest, sealed for the organizers' keys once an organizer
decides, and handed to organizers as an export they open with the standard `age` tool."""

import io
import shutil
import subprocess
import tarfile

import pyrage
import pytest
from django.core.exceptions import FieldError
from django.db import connection

from tadamun.audit.models import Event
from tadamun.signatures.models import Pledge, SignOn
from tests.conftest import require
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Mazen Khoury",
    "contact_role": "Programme Director",
    "contact_email": "mazen@khoury-relief.org",
}


def raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return repr(cursor.fetchone())


def coalition_key(statement) -> pyrage.x25519.Identity:
    """Give the statement's coalition its own organizer key; the private half stays here."""
    identity = pyrage.x25519.Identity.generate()
    statement.coalition.recipients = f"# Rana's laptop\n{identity.to_public()}\n"
    statement.coalition.full_clean()
    statement.coalition.save()
    return identity


def test_contact_details_are_stored_encrypted_and_read_back_by_the_server(client):
    statement = make_statement()
    sign_on(client, statement, **CONTACT)
    signon = SignOn.objects.get()
    assert (signon.contact_name, signon.contact_role, signon.contact_email) == tuple(
        CONTACT[k] for k in ("contact_name", "contact_role", "contact_email")
    )
    stored = raw_row("signatures_signon", signon.pk)
    for value in (*CONTACT.values(), "khoury"):
        assert value not in stored
    assert stored.count("c1.") == 3


def test_an_encrypted_field_cannot_be_searched_by_value(client):
    statement = make_statement()
    sign_on(client, statement, **CONTACT)
    with pytest.raises(FieldError, match="encrypted"):
        SignOn.objects.filter(contact_email=CONTACT["contact_email"]).exists()
    with pytest.raises(FieldError):
        Pledge.objects.filter(email__icontains="x").exists()
    assert SignOn.objects.exclude(contact_email="").count() == 1
    assert SignOn.objects.with_address(statement, "MAZEN@khoury-relief.org").count() == 1


def test_approval_seals_the_contact_for_the_organizers_and_erases_the_servers_copy(client):
    statement = make_statement()
    identity = coalition_key(statement)
    sign_on(client, statement, **CONTACT)
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    signon.refresh_from_db()
    # The server keeps the address (it sends the strike-day notice), not the name or role.
    assert (signon.contact_name, signon.contact_role) == ("", "")
    assert signon.contact_email == CONTACT["contact_email"]
    opened = pyrage.decrypt(bytes(signon.sealed_contact), [identity]).decode()
    for value in CONTACT.values():
        assert value in opened
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(bytes(signon.sealed_contact), [pyrage.x25519.Identity.generate()])


def test_withdrawal_and_rejection_leave_the_server_no_address(client, smtp, run_worker):
    statement = make_statement()
    coalition_key(statement)
    sign_on(client, statement, **CONTACT)
    sign_on(client, statement, name_en="Other Org", name_ar="", contact_email="o@other.org")
    leaving, refused = SignOn.objects.order_by("pk")
    for signon in (leaving, refused):
        signon.confirm()
    leaving.approve()
    leaving.withdraw()
    refused.reject(reason="Unknown organization")
    assert SignOn.objects.get(pk=refused.pk).contact_email == "o@other.org"
    run_worker()
    assert smtp.to("o@other.org")
    for signon in SignOn.objects.all():
        assert (signon.contact_name, signon.contact_role, signon.contact_email) == ("", "", "")
        assert signon.sealed_contact is not None


def test_the_organizers_export_opens_with_the_age_tool_and_nothing_else(
    client, admin_client, admin_user, tmp_path
):
    if not shutil.which("age"):
        require("REQUIRE_AGE", "the age tool is not installed (apt-get install age)")
    statement = make_statement()
    identity = coalition_key(statement)
    sign_on(client, statement, **CONTACT)
    sign_on(client, statement, name_en="Waiting Org", name_ar="", contact_email="w@waiting.org")
    decided, waiting = SignOn.objects.order_by("pk")
    decided.confirm()
    decided.approve()
    response = admin_client.post(
        "/admin/signatures/signon/?status=all",
        {"action": "export_contacts", "_selected_action": [decided.pk, waiting.pk]},
    )
    assert response["Content-Type"] == "application/x-tar"
    assert b"Mazen" not in response.content and b"w@waiting.org" not in response.content
    key = tmp_path / "key.txt"
    key.write_text(f"{identity}\n")
    with tarfile.open(fileobj=io.BytesIO(response.content)) as tar:
        tar.extractall(tmp_path, filter="data")
    assert "age -d -i key.txt" in (tmp_path / "README.txt").read_text()
    lines = {}
    for signon in (decided, waiting):
        opened = subprocess.run(
            ["age", "-d", "-i", str(key), str(tmp_path / "contacts" / f"{signon.pk}.age")],
            capture_output=True,
            text=True,
        )
        assert opened.returncode == 0, opened.stderr
        lines[signon.pk] = opened.stdout
    assert "Mazen Khoury,Programme Director,mazen@khoury-relief.org,approved" in lines[decided.pk]
    assert (
        "w@waiting.org,pending" in lines[waiting.pk]
        or "w@waiting.org,unconfirmed" in (lines[waiting.pk])
    )
    other = tmp_path / "other.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    refused = subprocess.run(
        ["age", "-d", "-i", str(other), str(tmp_path / "contacts" / f"{decided.pk}.age")],
        capture_output=True,
    )
    assert refused.returncode != 0
    event = Event.objects.get(action="exported contact data")
    assert event.user == admin_user and event.detail == {"signatures": [decided.pk, waiting.pk]}


def test_a_coalition_refuses_a_key_that_is_not_an_age_public_key():
    from django.core.exceptions import ValidationError

    statement = make_statement()
    statement.coalition.recipients = "AGE-SECRET-KEY-1NOTAPUBLICKEY"
    with pytest.raises(ValidationError, match="not an age public key"):
        statement.coalition.full_clean()


def test_pledge_addresses_are_encrypted_and_fingerprints_differ_between_statements(client):
    first, second = make_statement(), make_statement()
    for statement in (first, second):
        client.post(
            f"/en/statements/{statement.slug}/join/",
            {"email": "Nour.Secret@gmail.com", "appearance": "counted", "wants_updates": "on"},
        )
    one, two = Pledge.objects.order_by("pk")
    assert one.email == "Nour.Secret@gmail.com"
    assert "nour" not in raw_row("signatures_pledge", one.pk).lower()
    assert one.email_hash != two.email_hash
    assert Pledge.objects.with_address(first, "noursecret@gmail.com").get() == one
