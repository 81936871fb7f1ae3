"""Sending the confirmation message again, shared by sign-ons and pledges: limited in number
and spaced out, so that nobody can flood someone's inbox through us."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone


class ResendLimits:
    """For a model with status, mails_sent and last_mailed_at; `confirm_mail` names the
    message (a kind in signatures/emails.py)."""

    confirm_mail: str

    def can_resend(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.status != "unconfirmed" or self.mails_sent >= settings.MAX_CONFIRMATION_MAILS:
            return False
        spacing = datetime.timedelta(minutes=settings.RESEND_SPACING_MINUTES)
        return self.last_mailed_at is None or now - self.last_mailed_at >= spacing

    def resend(self) -> bool:
        """Queue the confirmation message again if the limits allow it."""
        from ..tasks import send_mail

        rows = type(self).objects
        with transaction.atomic():
            if not rows.select_for_update().get(pk=self.pk).can_resend():
                return False
            rows.filter(pk=self.pk).update(
                mails_sent=F("mails_sent") + 1, last_mailed_at=timezone.now()
            )
            send_mail.enqueue(self.confirm_mail, self.pk)
        return True
