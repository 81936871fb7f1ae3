"""The hourly housekeeping chain: contact data past retention, expired confirmations, notices
and tasks a dead worker left behind; and the chain of scheduled releases of pledge figures."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tadamun.record import models as record

from . import retention
from .models import Notice
from .models import releases as pledge_releases
from .tasks import send_notice


@task()
def housekeeping() -> dict:
    """Forget unconfirmed addresses, purge statements past retention, sign the record's head
    again (so witnesses see it is still vouched for even when nothing happened) and resume
    stalled work, then come back in HOUSEKEEPING_MINUTES. `manage.py schedule_housekeeping`
    (run by `make run`) starts the chain."""
    signed = record.sign_head_if_due()
    done = {
        "checkpoint": signed.tree_size if signed else None,
        "purged": retention.purge_due(),
        "expired": retention.expire_unconfirmed(),
        "resumed": resume_notices(),
        "requeued": requeue_stalled(settings.STALLED_TASK_SECONDS),
        # A release the chain below missed (the worker was down at its time) runs now.
        "released": pledge_releases.release_due(),
    }
    if not queued(release_pledge_figures, "READY", "RUNNING"):
        schedule_releases()
    if not queued(housekeeping):
        housekeeping.using(
            run_after=timezone.now() + datetime.timedelta(minutes=settings.HOUSEKEEPING_MINUTES)
        ).enqueue()
    return done


@task()
def release_pledge_figures() -> list[str]:
    """Publish the pledge figures of every statement due (signatures/models/releases.py) at
    the scheduled time, then come back at the next one: the schedule is the clock's, never
    a reaction to a pledge."""
    released = pledge_releases.release_due()
    if not queued(release_pledge_figures):
        schedule_releases()
    return released


def schedule_releases() -> None:
    release_pledge_figures.using(run_after=pledge_releases.next_release_time()).enqueue()


def queued(a_task, *statuses: str) -> bool:
    """Whether `a_task` waits in the queue (or is in one of `statuses`)."""
    return DBTaskResult.objects.filter(
        task_path=a_task.module_path, status__in=statuses or ["READY"]
    ).exists()


def resume_notices(stalled_minutes: int = 10) -> list[int]:
    """Queue again the notices whose worker died mid-way (nothing sent for a while and
    nothing waiting in the queue). Recipients already claimed are not sent again."""
    quiet_since = timezone.now() - datetime.timedelta(minutes=stalled_minutes)
    resumed = []
    for notice in Notice.objects.filter(finished_at__isnull=True, created_at__lt=quiet_since):
        if notice.deliveries.filter(updated_at__gte=quiet_since).exists():
            continue
        waiting = DBTaskResult.objects.filter(
            task_path=send_notice.module_path, status="READY", args_kwargs__args=[notice.pk]
        )
        if not waiting.exists():
            notice.start()
            resumed.append(notice.pk)
    return resumed


def requeue_stalled(older_than_seconds: int) -> int:
    """Put back in the queue the tasks left RUNNING longer than this: a dead worker's."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lte=cutoff).update(
        status="READY", started_at=None
    )
