"""Fixtures shared by the whole suite: a real SMTP server, the task worker, requirements."""

import base64
import email
import email.policy
import os
import secrets
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is this run's own, so that two runs at once on one machine (two
    checkouts, CI beside a developer) never share one: TEST_DATABASE_NAME names it, else a
    name unique to the run. On SQLite it is a file, not memory, so that a worker or server
    started by a test sees the same data."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = (
        os.environ.get("TEST_DATABASE_NAME") or f"test_tadamun_{os.getpid()}_{secrets.token_hex(3)}"
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = str(settings.DATA_DIR / f"{name}.sqlite3")
    database.setdefault("TEST", {})["NAME"] = name


def require(variable: str, reason: str):
    """Skip with `reason`, or fail when CI set `variable` to say this must run."""
    if os.environ.get(variable):
        pytest.fail(f"{reason} ({variable} is set, so this must run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        # Addresses the server refuses (550), as a mailbox that does not exist.
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)}")

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; Django sends to it over SMTP."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real worker command until the queue is empty, inside the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    # The worker drops connections between tasks, as it should in production; here that
    # connection holds the test's transaction (tests/signatures/test_worker.py runs the
    # worker as a separate process, untouched).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Each test starts with an empty cache and English active (a request in another
    language leaves that language active in the thread)."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()


def database_url() -> str:
    """The URL of the database this test runs on, for a server or worker started by a test."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def process_env(settings, tmp_path):
    """Environment for a child process (worker, server) that shares this test's database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "PYTHONPATH", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=database_url(),
        DATA_DIR=str(tmp_path),
        SECRET_KEY=settings.SECRET_KEY,
        # The same keys as this test, from outside the child's DATA_DIR, as in production.
        RECORD_SIGNING_KEY=base64.b64encode(settings.RECORD_SIGNING_KEY).decode(),
        FINGERPRINT_KEY=settings.FINGERPRINT_KEY,
        CONTACT_KEY=settings.CONTACT_KEY,
        ORGANIZER_RECIPIENTS=",".join(settings.ORGANIZER_RECIPIENTS),
        DJANGO_SETTINGS_MODULE="tadamun.settings",
    )
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        env.update(EMAIL_HOST=settings.EMAIL_HOST, EMAIL_PORT=str(settings.EMAIL_PORT))
    return env


@pytest.fixture
def start_server(process_env):
    """Start the production server (gunicorn, our settings) on a free port; stop it after."""
    import subprocess
    import sys
    import urllib.request

    from django.conf import settings

    started = []

    def start(**extra_env) -> str:
        port = free_port()
        env = {**process_env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1"}
        env.update(extra_env)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/en/", timeout=2)  # noqa: S310
                return url
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        raise RuntimeError("the server did not start in 30 s")

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Browserless:
    """A minimal HTTP client with cookies, for POSTing forms (with their CSRF token) to a
    server started by a test."""

    def __init__(self, base: str, client_ip: str | None = None):
        import http.cookiejar
        import urllib.request

        self.base = base
        # Sent as X-Real-IP: what a reverse proxy tells a server started with BEHIND_PROXY=1.
        self.client_ip = client_ip
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str):
        return self._open(path)

    def post_form(self, path: str, data: dict):
        import re
        import urllib.parse

        form = self._open(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form[1])
        if not found:
            return form  # the form itself could not be shown (its status says why)
        token = found.group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        return self._open(path, body.encode(), {"Referer": self.base + path})

    def _open(self, path, body=None, headers=None):
        import urllib.error
        import urllib.request

        headers = {**(headers or {}), **({"X-Real-IP": self.client_ip} if self.client_ip else {})}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)


def _no_redirect():
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return NoRedirect


NoRedirect = _no_redirect()
