"""Nothing acknowledged is lost: the server and the worker are killed (SIGKILL) under load.

Sign-ons and pledges are sent at full rate; at a random moment both processes die with no
chance to clean up. After a restart, every submission that was answered with success must be
in the database, and every confirmation message must reach the SMTP server at least once. A
worker killed between sending and recording the send sends again after the restart: that
duplicate carries the same link, which confirms once (at least once, duplicate harmless).
"""

import collections
import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tadamun.signatures import addresses
from tadamun.signatures.models import Pledge, SignOn
from tests.conftest import Browserless, Inbox, free_port
from tests.factories import make_statement, pledge_form, signon_form, with_categories

RUNS = [11, 23, 37, 41, 59]  # seeds: each run kills at a different moment


def start(env: dict, port: int):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env={**env, "PORT": str(port)},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", "--stalled-seconds", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if Browserless(url).get("/healthz")[0] == 200:
                return server, worker, url
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def kill(*processes) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def load(url: str, statement, category, stop: threading.Event, results: list, thread: int):
    """Send sign-ons and pledges until stopped; note each address and whether it was
    acknowledged (the 302 to the "check your e-mail" page)."""
    n = 0
    while not stop.is_set():
        n += 1
        kind = "signon" if n % 2 else "pledge"
        email = f"{kind}-{thread}-{n}@durable{thread}.org"
        try:
            client = Browserless(url)
            if kind == "signon":
                status, _b, headers = client.post_form(
                    f"/en/statements/{statement.slug}/sign/",
                    signon_form(name_en=f"Durable {thread} {n}", name_ar="", contact_email=email),
                )
            else:
                status, _b, headers = client.post_form(
                    f"/en/statements/{statement.slug}/join/", pledge_form(category, email=email)
                )
            acknowledged = status == 302 and "/sent/" in headers.get("Location", "")
        except Exception:  # noqa: BLE001 - a dead server answers with a connection error
            acknowledged = False
        results.append((kind, email, acknowledged))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seed", RUNS)
def test_killing_server_and_worker_loses_no_acknowledged_submission(process_env, seed, capsys):
    inbox = Inbox()
    from aiosmtpd.controller import Controller

    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {
        **process_env,
        "HOST": "127.0.0.1",
        "WEB_WORKERS": "2",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "RATE_LIMIT_FORM_CLIENT": "1000000/h",
        "RATE_LIMIT_FORM_DOMAIN": "1000000/h",
        "MAIL_RETRY_SECONDS": "1",
    }
    statement = make_statement()
    category = with_categories(statement)[0]
    port = free_port()
    try:
        server, worker, url = start(env, port)
        stop, results = threading.Event(), []
        threads = [
            threading.Thread(target=load, args=(url, statement, category, stop, results, t))
            for t in range(6)
        ]
        for thread in threads:
            thread.start()
        # Kill once the load is going (however slow a busy machine makes it), at a moment of
        # the load chosen by the seed.
        going = time.monotonic() + 120
        while sum(ok for _kind, _email, ok in results) <= 20 and time.monotonic() < going:
            time.sleep(0.05)
        time.sleep(random.Random(seed).uniform(0, 1.5))
        kill(server, worker)  # SIGKILL, mid-flight
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        server, worker, url = start(env, port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
            if pending == 0:
                break
            time.sleep(0.2)
        time.sleep(0.5)
        kill(server, worker)
    finally:
        controller.stop()

    acknowledged = [(kind, email) for kind, email, ok in results if ok]
    signons = set(SignOn.objects.values_list("contact_email", flat=True))
    pledges = set(Pledge.objects.values_list("email_hash", flat=True))
    missing = [
        email
        for kind, email in acknowledged
        if (
            email not in signons
            if kind == "signon"
            else addresses.fingerprint(email, statement.fingerprint_salt) not in pledges
        )
    ]
    delivered = collections.Counter(re.sub(r"\s", "", m["To"]) for m in inbox.messages)
    stored = list(signons) + list(Pledge.objects.values_list("email", flat=True))
    undelivered = [email for email in stored if email and delivered[email] == 0]
    duplicates = sum(count - 1 for count in delivered.values() if count > 1)
    with capsys.disabled():
        print(
            f"\nDURABILITY {connection.vendor} seed={seed}: sent {len(results)}, "
            f"acknowledged {len(acknowledged)}, stored {len(signons) + len(pledges)}, "
            f"missing {len(missing)}, messages {len(inbox.messages)}, undelivered "
            f"{len(undelivered)}, duplicates {duplicates}"
        )
    assert len(acknowledged) > 20, "the load did not get going before the kill"
    assert missing == []
    assert undelivered == []
    assert DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count() == 0
