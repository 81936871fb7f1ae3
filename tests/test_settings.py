"""Settings: production refuses to start half-configured, and the README's table names every
environment variable the site, its tests and its benchmarks read."""

import re
import subprocess
import sys

from django.conf import settings

from tadamun.record.key import new_key

ROOT = settings.BASE_DIR
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "FINGERPRINT_KEY": "another-long-random-production-secret-" + "y" * 40,
    "RECORD_SIGNING_KEY": new_key(),
    "SITE_URL": "https://tadamun.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def check(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "PRODUCTION": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_production_refuses_to_start_without_its_secrets_site_url_and_mail_server(tmp_path):
    bare = check(tmp_path)
    assert bare.returncode != 0
    needs = (
        "PRODUCTION=1 needs SECRET_KEY, FINGERPRINT_KEY, RECORD_SIGNING_KEY, SITE_URL, EMAIL_HOST"
    )
    assert needs in bare.stderr
    assert not (tmp_path / "secret_key").exists()  # no laptop default was made up
    for name in PRODUCTION:
        missing = check(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != name})
        assert missing.returncode != 0 and name in missing.stderr, name
    login_without_password = check(tmp_path, **PRODUCTION, EMAIL_HOST_USER="tadamun")
    assert "EMAIL_HOST_PASSWORD" in login_without_password.stderr
    assert check(tmp_path, **PRODUCTION).returncode == 0


def test_a_site_url_that_is_no_address_is_refused(tmp_path):
    result = check(tmp_path, **{**PRODUCTION, "SITE_URL": "tadamun.example.org"})
    assert result.returncode != 0 and "SITE_URL must start with https://" in result.stderr


# Names our own scripts pass to their children, and those of the system: not settings.
NOT_SETTINGS = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SUPERUSER_PASSWORD",
    "PATH",
    "HOME",
    "LANG",
    "PYTHONPATH",
    "CSRF_TOKEN",
    "CSRF_COOKIE",
    "REFERER",
}
READS = re.compile(
    r"""(?:environ\.get|getenv|envbool|envint|envlist|require)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|environ\[["']([A-Z][A-Z0-9_]+)["']\]"""
)


def variables_read() -> set[str]:
    files = [ROOT / "gunicorn.conf.py", *ROOT.glob("tadamun/**/*.py")]
    files += [*ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/**/*.py")]
    found = set()
    for path in files:
        for match in READS.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found - NOT_SETTINGS


def variables_in_readme() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_environment_variable_is_in_the_readme_table():
    read = variables_read()
    assert {"SECRET_KEY", "RATE_LIMIT_LINK_CLIENT", "WEB_THREADS", "TEST_POSTGRES_URL"} <= read
    assert read - variables_in_readme() == set()
    # …and the table names nothing the code does not read.
    assert variables_in_readme() - read == set()


def test_production_keeps_organizers_second_factor_and_sign_in_throttle(tmp_path):
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from django.conf import settings as s;"
            "print(s.TWO_FACTOR, s.AXES_ENABLED, s.SESSION_COOKIE_AGE)",
        ],
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "PRODUCTION": "1", **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert shown.stdout.split() == ["True", "True", str(12 * 3600)], shown.stderr
    for name in ("TWO_FACTOR", "AXES_ENABLED"):
        result = check(tmp_path, **PRODUCTION, **{name: "0"})
        assert result.returncode != 0 and f"{name} turned off" in result.stderr, name
