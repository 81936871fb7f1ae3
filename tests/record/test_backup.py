"""A backup taken while the site is under load is encrypted for the keys it names and restores,
with one of them, into a database whose record verifies."""

import subprocess
import sys
import threading

import pyrage
import pytest
from django.conf import settings
from django.db import connection

from tadamun.signatures.models import Pledge, SignOn
from tests.conftest import Browserless
from tests.factories import make_statement, pledge_form, signon_form, with_categories
from tests.signatures.helpers import sign_on


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_under_load_restores_and_its_record_verifies(
    client, start_server, process_env, tmp_path
):
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "backup-key.txt"
    key_file.write_text(f"# a test key\n{identity}\n")
    statement = make_statement(strike_day=True)
    category = with_categories(statement)[0]
    for n in range(6):
        sign_on(
            client, statement, name_en=f"Backup Org {n}", name_ar="", contact_email=f"b{n}@o{n}.org"
        )
    for signon in SignOn.objects.all():
        signon.confirm()
        signon.approve()
    SignOn.objects.first().withdraw()
    Pledge.objects.create(statement=statement, email_hash="p" * 64, category=category).confirm()
    statement.body = {"en": "Amended.", "ar": "معدّل."}
    statement.save()
    statement.publish()

    url = start_server(RATE_LIMIT_FORM_CLIENT="100000/h", RATE_LIMIT_FORM_DOMAIN="100000/h")
    stop = threading.Event()

    def load():
        n = 0
        while not stop.is_set():
            n += 1
            Browserless(url).post_form(
                f"/en/statements/{statement.slug}/sign/",
                signon_form(name_en=f"Load {n}", name_ar="", contact_email=f"l{n}@load{n}.org"),
            )
            Browserless(url).post_form(
                f"/en/statements/{statement.slug}/join/", pledge_form(category, email=f"p{n}@x.org")
            )

    thread = threading.Thread(target=load)
    thread.start()
    try:
        backup = tmp_path / "tadamun.backup.age"
        made = manage(process_env, "backup", str(backup), "--to", str(identity.to_public()))
        assert made.returncode == 0, made.stderr
    finally:
        stop.set()
        thread.join(timeout=30)

    if connection.vendor == "sqlite":
        restored = {**process_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}
    else:
        import psycopg

        from tadamun.record.management.commands.backup import pg_url

        admin = pg_url(connection.settings_dict, "postgres")
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute("DROP DATABASE IF EXISTS tadamun_restore_test")
            pg.execute("CREATE DATABASE tadamun_restore_test")
        restored = {
            **process_env,
            "DATABASE_URL": pg_url(connection.settings_dict, "tadamun_restore_test"),
        }
    assert backup.stat().st_mode & 0o077 == 0
    assert backup.read_bytes().startswith(b"age-encryption.org/v1")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(str(pyrage.x25519.Identity.generate()))
    refused = manage(restored, "restore", str(backup), "--yes", "--identity", str(wrong))
    assert refused.returncode != 0 and "does not decrypt" in refused.stderr
    result = manage(restored, "restore", str(backup), "--yes", "--identity", str(key_file))
    assert result.returncode == 0, result.stderr
    verified = manage(restored, "verify_record")
    assert verified.returncode == 0, verified.stderr
    assert "check against their hashes" in verified.stdout and "match the record" in verified.stdout
    counted = manage(
        restored,
        "shell",
        "-c",
        "from tadamun.signatures.models import SignOn, Pledge; from tadamun.statements.models "
        "import Version; print(SignOn.objects.count(), Pledge.objects.count(), "
        "Version.objects.count())",
    )
    signons, pledges, versions = map(int, counted.stdout.split()[-3:])
    assert signons >= 6 and pledges >= 1 and versions == 2
