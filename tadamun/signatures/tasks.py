"""Background work for signatures: e-mail goes out from the worker, never from a request."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import emails

log = logging.getLogger(__name__)


@task()
def send_signon_mail(signon_id: int, kind: str, attempt: int = 1) -> str:
    """Send one message about a sign-on; on a mail server failure, try again later.

    Only the id travels through the queue: the address is read when the message is sent,
    so the task table never holds contact data.
    """
    from .models import SignOn

    signon = (
        SignOn.objects.select_related("statement", "statement__current_version")
        .filter(pk=signon_id)
        .first()
    )
    if signon is None or not signon.contact_email:
        return "gone"
    if kind == "confirm" and signon.status != SignOn.Status.UNCONFIRMED:
        return "already confirmed"
    try:
        emails.signon_message(kind, signon).send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= settings.MAIL_ATTEMPTS:
            raise
        delay = settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        log.warning(
            "mail for sign-on %s failed (%s); retrying in %ss",
            signon_id,
            type(error).__name__,
            delay,
        )
        send_signon_mail.using(
            run_after=timezone.now() + datetime.timedelta(seconds=delay)
        ).enqueue(signon_id, kind, attempt + 1)
        return "retry"
    return "sent"
