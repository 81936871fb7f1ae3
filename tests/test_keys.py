"""The keys that protect signers come from outside the data directory; production refuses to
start without them, and a laptop gets development keys beside (not inside) its data."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pyrage
from django.conf import settings

PRINT_KEYS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.FINGERPRINT_KEY, s.CONTACT_KEY, ','.join(s.ORGANIZER_RECIPIENTS))"
)


def production_keys() -> dict:
    """Keys as an operator gives them in production (from outside DATA_DIR)."""
    return {
        "FINGERPRINT_KEY": secrets.token_urlsafe(32),
        "CONTACT_KEY": secrets.token_urlsafe(32),
        "ORGANIZER_RECIPIENTS": str(pyrage.x25519.Identity.generate().to_public()),
    }


def production(data_dir: Path, **extra) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "DATA_DIR": str(data_dir),
        "PRODUCTION": "1",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "tadamun.example.org",
        "SITE_URL": "https://tadamun.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "RECORD_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        **extra,
    }


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env={"DJANGO_SETTINGS_MODULE": "tadamun.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_and_the_deploy_check_fails_without_the_keys(tmp_path):
    for missing in ("FINGERPRINT_KEY", "CONTACT_KEY", "ORGANIZER_RECIPIENTS"):
        keys = production_keys()
        del keys[missing]
        result = run(production(tmp_path / "data", **keys), "manage.py", "check", "--deploy")
        assert result.returncode != 0
        # The one refusal that names everything production lacks.
        assert f"PRODUCTION=1 needs {missing} to be set" in result.stderr
    complete = run(production(tmp_path / "data", **production_keys()), "manage.py", "check")
    assert complete.returncode == 0, complete.stderr


def test_keys_are_read_from_files_outside_the_data_and_refused_inside_it(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    keys = production_keys()
    outside = tmp_path / "secrets"
    outside.mkdir()
    (outside / "fingerprint").write_text(keys.pop("FINGERPRINT_KEY") + "\n")
    env = production(data, FINGERPRINT_KEY_FILE=str(outside / "fingerprint"), **keys)
    read = run(env, "-c", PRINT_KEYS)
    assert read.returncode == 0, read.stderr
    assert read.stdout.split()[0] == (outside / "fingerprint").read_text().strip()

    (data / "fingerprint").write_text((outside / "fingerprint").read_text())
    inside = run({**env, "FINGERPRINT_KEY_FILE": str(data / "fingerprint")}, "-c", PRINT_KEYS)
    assert inside.returncode != 0 and "inside DATA_DIR" in inside.stderr


def test_systemd_credentials_are_read_from_their_directory(tmp_path):
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    keys = production_keys()
    for name in ("FINGERPRINT_KEY", "CONTACT_KEY"):
        (credentials / name.lower()).write_text(keys.pop(name))
    env = production(tmp_path / "data", CREDENTIALS_DIRECTORY=str(credentials), **keys)
    read = run(env, "-c", PRINT_KEYS)
    assert read.returncode == 0, read.stderr
    fingerprint, contact, _recipients = read.stdout.split()
    assert fingerprint == (credentials / "fingerprint_key").read_text()
    assert contact == (credentials / "contact_key").read_text()


def test_a_key_equal_to_the_secret_key_or_too_short_is_refused(tmp_path):
    env = production(tmp_path / "data", **production_keys())
    same = run({**env, "CONTACT_KEY": env["SECRET_KEY"]}, "-c", PRINT_KEYS)
    assert same.returncode != 0 and "must differ from SECRET_KEY" in same.stderr
    short = run({**env, "FINGERPRINT_KEY": "short"}, "-c", PRINT_KEYS)
    assert short.returncode != 0 and "at least 32 characters" in short.stderr
    bad = run({**env, "ORGANIZER_RECIPIENTS": "not-a-key"}, "-c", PRINT_KEYS)
    assert bad.returncode != 0 and "is not an age public key" in bad.stderr


def test_production_refuses_to_write_e_mail_to_files(tmp_path):
    env = production(tmp_path / "data", **production_keys())
    del env["EMAIL_HOST"]
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    result = run(env, "manage.py", "check")
    assert result.returncode != 0 and "set EMAIL_HOST" in result.stderr


def test_a_laptop_gets_development_keys_beside_its_data_once_and_is_told_once(tmp_path):
    data = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(data), "PYTHONPATH": str(settings.BASE_DIR)}
    first = run(env, "-c", PRINT_KEYS)
    second = run(env, "-c", PRINT_KEYS)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    folder = tmp_path / "data-keys"
    made = "(FINGERPRINT_KEY, CONTACT_KEY, an organizer identity)"
    assert f"development keys {made} generated in {folder}" in first.stderr
    assert "development keys" not in second.stderr
    mine = {"contact_key", "fingerprint_key", "organizer_identity.txt"}
    assert mine <= {p.name for p in folder.iterdir()}
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    fingerprint, contact, _recipient = first.stdout.split()
    in_data = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    for key in (fingerprint, contact, (folder / "organizer_identity.txt").read_text()):
        assert key.encode() not in in_data
    assert data.stat().st_mode & 0o777 == 0o700
    # The deploy check says that these keys are not for production.
    check = run(env, "manage.py", "check", "--deploy")
    assert "tadamun.E001" in check.stderr + check.stdout
