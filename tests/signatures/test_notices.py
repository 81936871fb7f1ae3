"""Strike-day notices go out in batches and survive a crash of the worker without sending
anyone the notice twice."""

import collections
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tadamun.signatures.housekeeping import resume_notices
from tadamun.signatures.models import Delivery, Notice, Pledge, SignOn
from tests.factories import make_statement


def recipients(statement, organizations=24, pledgers=6):
    from tadamun.signatures.imports import import_signatories

    import_signatories(statement, [{"en": f"Organization {n}"} for n in range(organizations)])
    for n, signon in enumerate(SignOn.objects.filter(statement=statement)):
        SignOn.objects.filter(pk=signon.pk).update(contact_email=f"org{n}@example.org")
    for n in range(pledgers):
        Pledge.objects.create(
            statement=statement,
            email=f"person{n}@example.org",
            email_hash=f"{n:064}",
            wants_updates=True,
        ).confirm()
    # Pledgers who asked for nothing get nothing.
    Pledge.objects.create(
        statement=statement, email="quiet@example.org", email_hash="q" * 64
    ).confirm()


@pytest.mark.django_db
def test_the_strike_notice_reaches_signatories_and_pledgers_who_asked(
    admin_client, smtp, run_worker, settings
):
    settings.NOTICE_BATCH = 7
    settings.NOTICE_PAUSE_SECONDS = 0
    statement = make_statement(strike_day=True)
    recipients(statement)
    admin_client.post(
        "/admin/statements/statement/",
        {"action": "send_strike_notice", "_selected_action": [statement.pk]},
    )
    run_worker()
    messages = smtp.wait_for(30)
    addresses = [m["To"] for m in messages]
    assert len(addresses) == len(set(addresses)) == 30
    assert "quiet@example.org" not in addresses
    # Each in its recipient's language: imported organizations got the authoritative (Arabic).
    subjects = [m["Subject"] for m in messages]
    assert all(s.startswith(("Strike day:", "يوم الإضراب:")) for s in subjects)
    assert any(s.startswith("يوم الإضراب:") for s in subjects)
    assert Notice.objects.get().finished_at is not None
    assert Delivery.objects.filter(status="sent").count() == 30


class SlowInbox:
    """An SMTP handler that takes its time, so that the worker can be killed mid-way."""

    def __init__(self, inbox, delay):
        self.inbox, self.delay = inbox, delay

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(self.delay)
        return await self.inbox.handle_DATA(server, session, envelope)


def run_worker_process(env, **kwargs):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--queue-name",
            "*",
            "--interval",
            "0.1",
            *kwargs.get("args", []),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kill_after", [3, 11, 19])
def test_after_a_crash_the_notice_resumes_and_nobody_gets_it_twice(smtp, process_env, kill_after):
    from aiosmtpd.controller import Controller

    from tests.conftest import Inbox, free_port

    inbox = Inbox()
    port = free_port()
    controller = Controller(SlowInbox(inbox, 0.05), hostname="127.0.0.1", port=port)
    controller.start()
    env = {**process_env, "EMAIL_PORT": str(port), "NOTICE_BATCH": "4", "NOTICE_PAUSE_SECONDS": "0"}
    try:
        statement = make_statement(strike_day=True)
        recipients(statement)
        notice = Notice.objects.create(statement=statement, kind=Notice.Kind.STRIKE)
        notice.start()

        worker = run_worker_process(env)
        inbox.wait_for(kill_after, timeout=60)
        os.killpg(worker.pid, signal.SIGKILL)  # a crash: no clean-up of any kind
        worker.wait()
        sent_before = len(inbox.messages)
        assert sent_before < 30, "the worker finished before it could be killed"

        resume_notices(stalled_minutes=0)
        finisher = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--queue-name",
                "*",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert finisher.returncode == 0, finisher.stderr
        time.sleep(0.3)
    finally:
        controller.stop()

    received = collections.Counter(m["To"] for m in inbox.messages)
    assert max(received.values()) == 1, "someone received the notice twice"
    in_doubt = set(
        Delivery.objects.filter(notice=notice, status="claimed").values_list("pk", flat=True)
    )
    # Only a message being sent at the moment of the kill can be in doubt.
    assert len(received) + len(in_doubt) >= 30 and len(in_doubt) <= 1
    assert len(received) >= 29
    notice.refresh_from_db()
    assert notice.finished_at is not None
