"""Background work for signatures: e-mail goes out from the worker, never from a request."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import emails

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server kept refusing. Carries no address: task results are stored."""


@task()
def send_mail(kind: str, pk: int, attempt: int = 1) -> str:
    """Send one message (`kind` in emails.KINDS) about the sign-on or pledge `pk`; on a
    mail server failure, try again later with back-off.

    Only the id travels through the queue: the address is read when the message is sent,
    so the task table never holds contact data.
    """
    message = emails.build(kind, pk)
    if message is None:
        return "nothing to send"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= settings.MAIL_ATTEMPTS:
            raise MailNotSent(f"{kind} #{pk}: {type(error).__name__}") from None
        delay = settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        log.warning("%s #%s not sent (%s); retry in %ss", kind, pk, type(error).__name__, delay)
        send_mail.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            kind, pk, attempt + 1
        )
        return "retry"
    if kind == "signon_rejected":
        from .models import SignOn

        # Nothing more is ever sent to a rejected sign-on.
        SignOn.forget_address(pk)
    return "sent"


@task()
def housekeeping() -> dict:
    """Hourly: forget unconfirmed addresses, purge statements past retention and sign the
    record's head again (so witnesses see it is still vouched for even when nothing
    happened), then come back in an hour. `manage.py schedule_housekeeping` (run by
    `make run`) starts the chain."""
    from django_tasks_db.models import DBTaskResult

    from tadamun.record import models as record

    from . import retention
    from .management.commands.worker import requeue_stalled

    signed = record.sign_head_if_due()
    done = {
        "checkpoint": signed.tree_size if signed else None,
        "purged": retention.purge_due(),
        "expired": retention.expire_unconfirmed(),
        "mail_files_erased": retention.erase_mail_files(),
        "journal_truncated": retention.truncate_journal(),
        "resumed": resume_notices(),
        "requeued": requeue_stalled(settings.STALLED_TASK_SECONDS),
    }
    waiting = DBTaskResult.objects.filter(
        task_path=housekeeping.module_path, status="READY"
    ).exists()
    if not waiting:
        housekeeping.using(
            run_after=timezone.now() + datetime.timedelta(minutes=settings.HOUSEKEEPING_MINUTES)
        ).enqueue()
    return done


@task()
def send_notice(notice_id: int) -> str:
    """Send the next batch of a notice, then queue the batch after it."""
    from .models import Notice

    notice = Notice.objects.filter(pk=notice_id, finished_at__isnull=True).first()
    if notice is None:
        return "finished"
    if notice.send_batch(settings.NOTICE_BATCH):
        send_notice.using(
            run_after=timezone.now() + datetime.timedelta(seconds=settings.NOTICE_PAUSE_SECONDS)
        ).enqueue(notice_id)
        return "more"
    return "finished"


def resume_notices(stalled_minutes: int = 10) -> list[int]:
    """Queue again the notices whose worker died mid-way (nothing sent for a while and
    nothing waiting in the queue). Recipients already claimed are not sent again."""
    from django_tasks_db.models import DBTaskResult

    from .models import Notice

    quiet_since = timezone.now() - datetime.timedelta(minutes=stalled_minutes)
    resumed = []
    for notice in Notice.objects.filter(finished_at__isnull=True, created_at__lt=quiet_since):
        if notice.deliveries.filter(updated_at__gte=quiet_since).exists():
            continue
        queued = DBTaskResult.objects.filter(
            task_path=send_notice.module_path, status="READY", args_kwargs__args=[notice.pk]
        )
        if not queued.exists():
            notice.start()
            resumed.append(notice.pk)
    return resumed
