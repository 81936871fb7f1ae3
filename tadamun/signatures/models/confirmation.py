"""What sign-ons and pledges share: the signed links in their messages, and sending the
confirmation message again, limited in number and spaced out so that nobody can flood
someone's inbox through us."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import tokens
from ..tasks import send_mail


class Confirmable:
    """For a model with can_confirm(), mails_sent, last_mailed_at and the nonce fields named in
    LINKS. `confirm_mail` names the confirmation message (a kind in signatures/emails.py);
    LINKS maps each link purpose to (its nonce field, whether it expires)."""

    confirm_mail: str
    LINKS: dict[str, tuple[str, bool]]

    def token(self, purpose: str) -> str:
        return tokens.make(purpose, self.pk, getattr(self, self.LINKS[purpose][0]))

    @classmethod
    def from_token(cls, token: str, purpose: str):
        """The object a link was made for; raises tokens.Expired or tokens.Invalid."""
        field, expires = cls.LINKS[purpose]
        max_age = settings.CONFIRMATION_HOURS * 3600 if expires else None
        pk, nonce = tokens.read(token, purpose, max_age)
        found = cls.objects.filter(pk=pk, **{field: nonce}).select_related("statement").first()
        if found is None:
            raise tokens.Invalid
        return found

    def can_resend(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.can_confirm() or self.mails_sent >= settings.MAX_CONFIRMATION_MAILS:
            return False
        spacing = datetime.timedelta(minutes=settings.RESEND_SPACING_MINUTES)
        return self.last_mailed_at is None or now - self.last_mailed_at >= spacing

    def resend(self) -> bool:
        """Queue the confirmation message again if the limits allow it."""
        rows = type(self).objects
        with transaction.atomic():
            if not rows.select_for_update().get(pk=self.pk).can_resend():
                return False
            rows.filter(pk=self.pk).update(
                mails_sent=F("mails_sent") + 1, last_mailed_at=timezone.now()
            )
            send_mail.enqueue(self.confirm_mail, self.pk)
        return True
