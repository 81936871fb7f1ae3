"""The worker's entry points for signatures: e-mail goes out from the worker, never from a
request.

Tasks take ids, and find their models through Django's app registry: the models queue these
tasks (in the transaction that stores what a message is about), so this module must not
import them back.
"""

import datetime
import logging
import smtplib

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import emails

log = logging.getLogger(__name__)

# Which model each kind of message (emails.KINDS) is about.
MODEL_OF = {
    "signon_confirm": "signatures.SignOn",
    "signon_approved": "signatures.SignOn",
    "signon_rejected": "signatures.SignOn",
    "signon_claimed": "signatures.SignOn",
    "signon_details": "signatures.SignOn",
    "pledge_confirm": "signatures.Pledge",
    "pledge_work": "signatures.Pledge",
}


class MailNotSent(Exception):
    """The mail server kept refusing. Carries no address: task results are stored."""


@task()
def send_mail(kind: str, pk: int, attempt: int = 1) -> str:
    """Send one message (`kind` in emails.KINDS) about the sign-on or pledge `pk`; on a
    mail server failure, try again later with back-off.

    Only the id travels through the queue: the address is read when the message is sent,
    so the task table never holds contact data.
    """
    model = apps.get_model(MODEL_OF[kind])
    about = (
        (
            model.objects.select_related("statement__current_version", "organization")
            if kind.startswith("signon")
            else model.objects.select_related("statement__current_version")
        )
        .filter(pk=pk)
        .first()
    )
    message = emails.build(kind, about) if about else None
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
    return "sent"


@task()
def send_notice(notice_id: int) -> str:
    """Send the next batch of a notice, then queue the batch after it."""
    notice = (
        apps.get_model("signatures.Notice")
        .objects.filter(pk=notice_id, finished_at__isnull=True)
        .first()
    )
    if notice is None:
        return "finished"
    if notice.send_batch(settings.NOTICE_BATCH):
        send_notice.using(
            run_after=timezone.now() + datetime.timedelta(seconds=settings.NOTICE_PAUSE_SECONDS)
        ).enqueue(notice_id)
        return "more"
    return "finished"
