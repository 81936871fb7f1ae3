"""One live site for the browser tests: the production server (gunicorn) and the task worker
on their own SQLite database loaded with the demo, a real SMTP server, and Debian's Chromium
driven by Playwright. Nothing here touches pytest-django's test database."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from tests.conftest import Inbox, free_port, require

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ORGANIZER = ("organizer", "a-long-test-password-for-the-organizer")
SLUG = "aleppo-strike-2016"


class Site:
    """The running site, its inbox and a few shortcuts the journeys share."""

    def __init__(self, url: str, inbox: Inbox, logs: Path, manage=None):
        self.url = url
        self.inbox = inbox
        self.logs = logs
        # Runs a manage.py command against this site's database.
        self.manage = manage
        self._numbers = iter(range(1, 1_000_000))

    def unique(self) -> int:
        return next(self._numbers)

    def statement(self, language: str = "en", rest: str = "") -> str:
        return f"{self.url}/{language}/statements/{SLUG}/{rest}"

    def messages_to(self, address: str, count: int = 1, timeout: float = 20) -> list:
        deadline, found = time.monotonic() + timeout, []
        while time.monotonic() < deadline:
            with self.inbox.lock:
                found = [
                    message
                    for message in self.inbox.messages
                    if address in message["X-Envelope-To"].split(", ")
                ]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(
            f"{count} message(s) expected for {address}, got {len(found)}; worker log:\n"
            + (self.logs / "worker.log").read_text()[-3000:]
        )


def link_in(message, part: str) -> str:
    """The first link in the plain-text body of an e-mail whose path contains `part`."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(url for url in re.findall(r"https?://\S+", text) if part in url)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def running_site(host: str = "127.0.0.1", **settings_env: str):
    """Start the site; `host` is the name the browser uses, `settings_env` more settings."""
    if not Path(CHROMIUM).exists():
        require("REQUIRE_BROWSER", f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    data = Path(tempfile.mkdtemp(prefix="tadamun-browser-"))
    inbox = Inbox()
    smtp_port, port = free_port(), free_port()
    url = f"http://{host}:{port}"
    # Production settings (no DEBUG), as `make run` and a deployment have them; only the
    # per-client limits are raised, since every request comes from 127.0.0.1.
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "PYTHONPATH")},
        # gunicorn's control socket lives under HOME: one of its own, not shared with
        # another server running on this machine.
        "HOME": str(data),
        "DJANGO_SETTINGS_MODULE": "tadamun.settings",
        "DATA_DIR": str(data),
        "STATIC_ROOT": str(data / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SITE_URL": url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "WEB_WORKERS": "2",
        "RATE_LIMIT_FORM_CLIENT": "1000/h",
        "RATE_LIMIT_LINK_CLIENT": "1000/h",
        "RATE_LIMIT_RESEND_CLIENT": "1000/h",
        "DJANGO_SUPERUSER_PASSWORD": ORGANIZER[1],
        **settings_env,
    }

    def manage(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stderr}"

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("load_demo")
    manage("createsuperuser", "--noinput", "--username", ORGANIZER[0], "--email", "o@example.org")

    commands = {
        "server": [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        "worker": [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-startup-delay",
        ],
    }
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    processes = []
    try:
        for name, command in commands.items():
            with open(data / f"{name}.log", "wb") as log:
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=settings.BASE_DIR,
                        env=env,
                        start_new_session=True,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        _wait_until_up(f"http://127.0.0.1:{port}", processes[0], data / "server.log")
        yield Site(url, inbox, data, manage)
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        controller.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def site():
    """The site as `make run` has it: organizers may sign in with a password only."""
    with running_site() as running:
        yield running


@pytest.fixture(scope="session")
def enforced_site():
    """The site as production has it for organizers: two factors required (TWO_FACTOR=1),
    reached at http://localhost, the one plain-HTTP origin where browsers allow passkeys."""
    with running_site(host="localhost", TWO_FACTOR="1") as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        require("REQUIRE_BROWSER", f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def artifacts(name: str) -> Path:
    path = ARTIFACTS / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def record_figures(name: str, figures: dict) -> None:
    """Add figures to test-artifacts/perf.json (read by people and by CI)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known.update(figures)
    path.write_text(json.dumps(known, indent=2, ensure_ascii=False) + "\n")
