"""The site signs the head of its record at every change and at least hourly, with a key kept
outside the data directory, and publishes it where witnesses and journalists find it."""

import base64
import datetime
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from tadamun.canonical import canonical_json, sha256_hex
from tadamun.record import checkpoints, merkle
from tadamun.record.models import Checkpoint, Entry, commitment
from tests.conftest import require
from tests.factories import make_statement
from tests.signatures.helpers import sign_on
from tests.test_keys import production_keys

pytestmark = pytest.mark.django_db


def open_latest(client) -> checkpoints.Head:
    note = client.get("/data/record/checkpoint").content.decode()
    return checkpoints.open_note(note, client.get("/data/record/key").content.decode())


def test_every_change_is_signed_and_the_published_checkpoint_verifies_with_the_key(client):
    statement = make_statement()
    assert open_latest(client).size == 1
    sign_on(client, statement)
    from tadamun.signatures.models import SignOn

    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    head = open_latest(client)
    assert head.size == Entry.objects.count() == 2
    leaves = [bytes.fromhex(h) for h in Entry.objects.values_list("hash", flat=True)]
    assert head.root == merkle.root(leaves)
    assert head.origin == settings.RECORD_ORIGIN
    # Each change left its own checkpoint, so a witness may have kept any of them.
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [1, 2]
    response = client.get("/data/record/checkpoint")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("text/plain")


def test_a_checkpoint_signed_by_another_key_or_changed_by_one_byte_is_refused(client):
    make_statement()
    note = client.get("/data/record/checkpoint").content.decode()
    key = client.get("/data/record/key").content.decode()
    other_seed = bytes(range(32))
    other_key = checkpoints.verifier_key(settings.RECORD_ORIGIN, checkpoints.public_key(other_seed))
    with pytest.raises(checkpoints.BadCheckpoint, match="no signature by the expected key"):
        checkpoints.open_note(note, other_key)
    size_line = note.split("\n")[1]
    with pytest.raises(checkpoints.BadCheckpoint, match="does not verify"):
        checkpoints.open_note(note.replace(f"\n{size_line}\n", "\n7\n", 1), key)


def test_the_hourly_housekeeping_signs_the_head_again_when_nothing_changed(settings, run_worker):
    make_statement()
    before = Checkpoint.objects.count()
    settings.RECORD_CHECKPOINT_MINUTES = 60
    call_command("schedule_housekeeping")
    run_worker()
    # Signed within the hour: nothing new.
    assert Checkpoint.objects.count() == before
    settings.RECORD_CHECKPOINT_MINUTES = 0
    call_command("schedule_housekeeping")
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    # The chain's next run waits an hour; run it now, as an hour later would.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    latest = Checkpoint.latest()
    assert Checkpoint.objects.count() == before + 1
    assert latest.tree_size == Entry.objects.count()
    assert latest.note.startswith(f"{settings.RECORD_ORIGIN}\n{latest.tree_size}\n")


def test_the_press_kit_and_its_pdf_carry_the_checkpoint_and_the_key(client):
    statement = make_statement()
    latest = Checkpoint.latest()
    page = client.get(f"/en/statements/{statement.slug}/press/").content.decode()
    assert latest.root_hash in page
    assert latest.note.split("\n\n")[1].strip() in page
    assert client.get("/data/record/key").content.decode().strip() in page
    try:
        import weasyprint  # noqa: F401
    except OSError:
        require("REQUIRE_PDF", "WeasyPrint needs the system's Pango library (libpango-1.0-0)")
    from pypdf import PdfReader

    pdf = client.get(f"/en/statements/{statement.slug}/press.pdf").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert latest.root_hash in text.replace("\n", "")


def test_the_documented_examples_hold():
    """docs/record.md gives worked examples so that a verifier can be written from it."""
    detail = {
        "country": "Syria",
        "name": {"ar": "بيتنا سوريا", "en": "Baytna Syria"},
        "organization": 7,
    }
    salt = "00" * 31 + "01"
    digest = "ae9443ec426b5c1b20326d9396a02efb0c39a780e3a10ffcb7ae4bcb96e67aaf"
    assert commitment(detail, salt) == digest
    content = {
        "sequence": 2,
        "action": "approved",
        "statement": "stop-the-bombing",
        "at": "2026-11-25T07:08:09.123456+00:00",
        "data": {
            "signature": 12,
            "version": 1,
            "listed": True,
            "pauses_work": False,
            "commitment": digest,
        },
    }
    assert (
        merkle.leaf_hash(canonical_json(content)).hex()
        == "0532772e7a60e2e77bb3096582715c243c154fa8383c18b1be4e887f4df48369"
    )
    seed = bytes(range(32))
    key = checkpoints.verifier_key("example.org/record", checkpoints.public_key(seed))
    assert key == "example.org/record+8dcc45de+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
    root = merkle.root([merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")])
    when = datetime.datetime(2026, 11, 25, 8, 0, tzinfo=datetime.UTC)
    note = checkpoints.sign("example.org/record", 2, root, when, seed)
    docs = (settings.BASE_DIR / "docs" / "record.md").read_text()
    for line in note.splitlines():
        assert line in docs
    for value in (digest, key, sha256_hex(b"")):
        assert value in docs or value == sha256_hex(b"")
    assert checkpoints.open_note(note, key).size == 2


def settings_in_child(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "import base64; print(base64.b64encode(settings.RECORD_SIGNING_KEY).decode())",
        ],
        cwd=settings.BASE_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "tadamun.settings",
            "DATA_DIR": str(tmp_path / "data"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_signing_key_lives_outside_the_data_directory(tmp_path):
    made = settings_in_child(tmp_path)
    assert made.returncode == 0, made.stderr
    key_file = tmp_path / "data-keys" / "record_signing_key"
    assert key_file.read_text().strip() == made.stdout.strip()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert not any("record_signing_key" in p.name for p in (tmp_path / "data").rglob("*"))
    # The same key on the next start, so checkpoints keep one signer.
    assert settings_in_child(tmp_path).stdout == made.stdout


def test_production_refuses_to_start_without_the_key_or_with_it_inside_data_dir(tmp_path):
    production = {
        "PRODUCTION": "1",
        "SECRET_KEY": "x" * 50,
        "SITE_URL": "https://tadamun.example",
        "EMAIL_HOST": "localhost",
        **production_keys(),
    }
    refused = settings_in_child(tmp_path, **production)
    assert refused.returncode != 0
    assert "PRODUCTION=1 needs RECORD_SIGNING_KEY to be set" in refused.stderr
    (tmp_path / "data").mkdir(exist_ok=True)
    inside = tmp_path / "data" / "key"
    inside.write_text(base64.b64encode(os.urandom(32)).decode())
    refused = settings_in_child(tmp_path, **production, RECORD_SIGNING_KEY_FILE=str(inside))
    assert refused.returncode != 0 and "inside DATA_DIR" in refused.stderr
    outside = tmp_path / "key"
    outside.write_text(inside.read_text())
    started = settings_in_child(tmp_path, **production, RECORD_SIGNING_KEY_FILE=str(outside))
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == outside.read_text()
