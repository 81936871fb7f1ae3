"""The worker really sends: a separate worker process, a real SMTP server, and retries."""

import datetime
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tadamun.signatures.models import SignOn
from tests.conftest import free_port
from tests.factories import make_statement
from tests.signatures.helpers import confirm_link, sign_on


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_sends_the_confirmation_over_smtp(client, smtp, process_env):
    statement = make_statement()
    sign_on(client, statement)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "*",
        ],
        env=process_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    [message] = smtp.wait_for(1)
    assert message["To"] == "rima@baytnasyria.org"
    client.post(confirm_link(message))
    assert SignOn.objects.get().status == SignOn.Status.PENDING
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_failed_send_is_retried_later_with_back_off(client, settings, run_worker, smtp):
    settings.MAIL_RETRY_SECONDS = 60
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is down
    statement = make_statement()
    sign_on(client, statement)

    run_worker()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"][2] == 2
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=55) < wait <= datetime.timedelta(seconds=60)

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    second = DBTaskResult.objects.filter(status="READY").get()
    wait = second.run_after - timezone.now()
    assert datetime.timedelta(seconds=115) < wait <= datetime.timedelta(seconds=120)
    assert smtp.messages == []

    settings.EMAIL_PORT = working_port  # the mail server is back
    DBTaskResult.objects.filter(pk=second.pk).update(run_after=timezone.now())
    run_worker()
    [message] = smtp.wait_for(1)
    assert confirm_link(message)
