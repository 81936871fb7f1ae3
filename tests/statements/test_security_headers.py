import base64
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import make_statement
from tests.test_keys import production_keys

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_the_usual_headers(client):
    statement = make_statement()
    response = client.get(f"/en/statements/{statement.slug}/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_nothing_on_a_public_page_comes_from_another_host(client):
    statement = make_statement()
    for language in ("en", "ar"):
        page = client.get(f"/{language}/statements/{statement.slug}/").content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sources
        for source in sources:
            assert source.startswith("/") or source.startswith("?") or source.startswith("#"), (
                source
            )
        assert "<script" not in page


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATA_DIR": str(tmp_path),
        "PRODUCTION": "1",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "SITE_URL": "https://tadamun.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "ALLOWED_HOSTS": "tadamun.example.org",
        "RECORD_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        **production_keys(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_laptop_install_generates_and_keeps_its_own_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path)}
    run = [
        sys.executable,
        "-c",
        "import django; django.setup(); from django.conf import settings as s; print(s.SECRET_KEY)",
    ]
    env["DJANGO_SETTINGS_MODULE"] = "tadamun.settings"
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    first = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60).stdout.strip()
    second = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60).stdout.strip()
    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
