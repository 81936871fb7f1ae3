"""Background work started from the desk: imports of long lists and invitations by e-mail.

Tasks take ids and find the import job through Django's app registry: the job queues these
tasks itself (desk/models.py), so this module must not import it back.
"""

import datetime
import logging
import smtplib

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .emails import invitation

log = logging.getLogger(__name__)


@task()
def check_import(job_id: int) -> str:
    """Check a long list against the coalition's organizations before it is confirmed."""
    job = apps.get_model("desk.ImportJob").objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    job.run_check()
    return "checked"


@task()
def run_import(job_id: int) -> str:
    """Import the next batch of a list; the batch queues the one after it."""
    job = apps.get_model("desk.ImportJob").objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    return "more" if job.run_batch(settings.IMPORT_BATCH) else "finished"


@task()
def send_invitation(membership_id: int, language: str, attempt: int = 1) -> str:
    """Tell a colleague they have a role, with a link to set a password if they have none.

    Only ids travel through the queue: the address is read and the link made when the
    message goes, so the task table holds neither. A refusing mail server is tried again
    later with back-off, as for signers' messages (signatures.tasks.send_mail).
    """
    message = invitation(membership_id, language)
    if message is None:
        return "nothing to send"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= settings.MAIL_ATTEMPTS:
            # Task results are stored: the error's text may hold the address.
            raise RuntimeError(f"invitation #{membership_id}: {type(error).__name__}") from None
        delay = settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        # The error's text names the refused address: the log keeps only its kind.
        log.warning(
            "invitation #%s not sent (%s); retry in %ss",
            membership_id,
            type(error).__name__,
            delay,
        )
        send_invitation.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            membership_id, language, attempt + 1
        )
        return "retry"
    return "sent"
