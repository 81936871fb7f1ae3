"""Database faults: PostgreSQL going away and coming back, SQLite on a full or read-only disk.
Each time the site answers a clear 503 page, never a traceback, and recovers by itself."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from tests.conftest import Browserless, free_port, require
from tests.factories import signon_form


def wait_for(check, timeout: float = 30, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError("timed out")


def pg_cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            version,
            "main",
            action,
            *(["-m", "fast"] if action == "stop" else []),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_postgresql_stopped_mid_load_gives_503_and_service_resumes_by_itself(start_server):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster"):
        require("REQUIRE_FAULTS", "stopping PostgreSQL needs root and pg_ctlcluster")
    from tests.factories import make_statement

    statement = make_statement()
    url = start_server()
    page = f"/en/statements/{statement.slug}/"
    assert Browserless(url).get(page)[0] == 200
    connections.close_all()
    pg_cluster("stop")
    try:
        status, body, headers = Browserless(url).get(page)
        assert status == 503
        assert "Briefly unavailable" in body and "Traceback" not in body
        assert headers.get("Retry-After") == "30"
        status, body, _h = Browserless(url).get(f"/en/statements/{statement.slug}/sign/")
        assert status == 503
    finally:
        pg_cluster("start")
    # The same server, not restarted, serves again once the database is back.
    wait_for(lambda: Browserless(url).get(page)[0] == 200, timeout=60)
    status, _b, _h = Browserless(url).post_form(
        f"/en/statements/{statement.slug}/sign/", signon_form()
    )
    assert status == 302


def serve_sqlite(data: Path, port: int, extra=None):
    env = {
        "PATH": os.environ["PATH"],
        "DATA_DIR": str(data),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "DJANGO_SETTINGS_MODULE": "tadamun.settings",
        "SECRET_KEY": "fault-test-secret-key-" + "x" * 30,
        **(extra or {}),
    }
    for args in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(url))
    return server, url


def _answers(url):
    try:
        return Browserless(url).get("/healthz")[0] == 200
    except OSError:
        return False


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        require("REQUIRE_FAULTS", "mounting a small file system needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        require("REQUIRE_FAULTS", f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def sign_on(url: str, n: int):
    return Browserless(url).post_form(
        "/en/statements/aleppo-strike-2016/sign/",
        signon_form(name_en=f"Disk Org {n}", name_ar="", contact_email=f"d{n}@disk{n}.org"),
    )


def integrity(data: Path) -> str:
    with sqlite3.connect(data / "tadamun.sqlite3") as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.slow
def test_sqlite_on_a_full_disk_answers_503_and_stays_intact(small_disk):
    server, url = serve_sqlite(small_disk, free_port())
    try:
        assert sign_on(url, 1)[0] == 302
        filler = small_disk / "filler"
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass  # the disk is full
        statuses = [sign_on(url, n)[0] for n in range(2, 12)]
        status, body, _h = sign_on(url, 99)
        assert 503 in statuses or status == 503
        assert 500 not in statuses
        if status == 503:
            assert "Briefly unavailable" in body and "Traceback" not in body
        filler.unlink()
        # Space again: the same server takes sign-ons again.
        wait_for(lambda: sign_on(url, 100)[0] == 302)
    finally:
        server.terminate()
        server.wait()
    assert integrity(small_disk) == "ok"


@pytest.mark.slow
def test_sqlite_on_a_read_only_disk_answers_503_and_stays_intact(small_disk):
    server, url = serve_sqlite(small_disk, free_port())
    try:
        assert sign_on(url, 1)[0] == 302
        # Right after the writes, the kernel may refuse the remount for a moment (EBUSY).
        wait_for(
            lambda: (
                subprocess.run(
                    ["mount", "-o", "remount,ro", str(small_disk)], capture_output=True
                ).returncode
                == 0
            ),
            timeout=20,
        )
        status, body, _h = sign_on(url, 2)
        assert status == 503, status
        assert "Briefly unavailable" in body and "Traceback" not in body
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
        wait_for(lambda: sign_on(url, 3)[0] == 302)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], capture_output=True)
        server.terminate()
        server.wait()
    assert integrity(small_disk) == "ok"
