"""Messages to many signers at once (strike-day notice, request to reconfirm a new text),
sent in batches by the worker and resumable after a crash without sending anyone one twice."""

import smtplib

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.multilingual import TranslatedField
from tadamun.statements.models import Statement, Version

from .. import emails
from ..tasks import send_notice
from .pledges import Pledge
from .signons import SignOn


class Notice(models.Model):
    class Kind(models.TextChoices):
        STRIKE = "strike", _("strike-day notice")
        RECONFIRM = "reconfirm", _("request to reconfirm a new version")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="notices", verbose_name=_("statement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("version")
    )
    # What the organizers add to a strike-day notice, in each language they wrote it in.
    message = TranslatedField(_("message"), textarea=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.statement}"

    def signons(self):
        rows = (
            SignOn.objects.public().filter(statement_id=self.statement_id).exclude(contact_email="")
        )
        if self.kind == self.Kind.RECONFIRM:
            rows = rows.filter(Q(version__number__lt=self.version.number) | Q(version__isnull=True))
        return rows

    def pledges(self):
        if self.kind != self.Kind.STRIKE:
            return Pledge.objects.none()
        return (
            Pledge.objects.counted()
            .filter(statement_id=self.statement_id, wants_updates=True)
            .exclude(email="")
        )

    @classmethod
    def send_strike_notice(cls, statement: Statement, by=None) -> "Notice":
        """Tell the statement's signatories and the pledgers who asked for updates about its
        strike day, in the background. A ValueError if it has none."""
        if not statement.strike_days.exists():
            raise ValueError(_("This statement has no strike day."))
        notice = cls.objects.create(statement=statement, kind=cls.Kind.STRIKE, created_by=by)
        notice.start()
        return notice

    def start(self) -> None:
        send_notice.enqueue(self.pk)

    @classmethod
    def send_strike(cls, statement: Statement, message: dict, by=None) -> "Notice":
        """Start the strike-day notice to every signatory and pledger who asked for news;
        one at a time per statement, so that nobody gets it twice by a double click."""
        with transaction.atomic():
            list(Statement.objects.select_for_update().filter(pk=statement.pk).values("pk"))
            if not statement.strike_days.exists():
                raise ValueError(_("The statement has no strike day yet: add one first."))
            if statement.current_version_id is None:
                raise ValueError(_("The statement is not published yet."))
            if cls.objects.filter(
                statement=statement, kind=cls.Kind.STRIKE, finished_at__isnull=True
            ).exists():
                raise ValueError(_("A strike-day notice is still being sent for this statement."))
            notice = cls.objects.create(
                statement=statement, kind=cls.Kind.STRIKE, message=message, created_by=by
            )
            notice.start()
        return notice

    def recipients(self) -> int:
        """How many the notice goes to, as things stand."""
        return self.signons().count() + self.pledges().count()

    def progress(self) -> dict:
        """How far the sending is: each status's count, and how many wait their turn. One
        query, so that a recipient claimed by the worker meanwhile is counted once."""

        def waiting(rows):
            if isinstance(rows, models.QuerySet) and not rows.query.is_empty():
                rows = rows.exclude(deliveries__notice=self).order_by().values("statement_id")
                return Coalesce(Subquery(rows.annotate(n=models.Count("pk")).values("n")[:1]), 0)
            return Value(0)

        statuses = Delivery.Status.values
        figures = (
            Notice.objects.filter(pk=self.pk)
            .annotate(
                **{
                    status: models.Count("deliveries", filter=Q(deliveries__status=status))
                    for status in statuses
                },
                waiting_signons=waiting(self.signons()),
                waiting_pledges=waiting(self.pledges()),
            )
            .values(*statuses, "waiting_signons", "waiting_pledges", "finished_at")
            .get()
        )
        finished = figures["finished_at"] is not None
        left = 0 if finished else figures["waiting_signons"] + figures["waiting_pledges"]
        return {
            "total": sum(figures[status] for status in statuses) + left,
            "sent": figures[Delivery.Status.SENT],
            "failed": figures[Delivery.Status.FAILED],
            "skipped": figures[Delivery.Status.SKIPPED],
            "sending": figures[Delivery.Status.CLAIMED],
            "waiting": left,
            "finished": finished,
        }

    def send_batch(self, size: int) -> bool:
        """Send to up to `size` recipients not yet claimed. True while more remain.

        Each recipient is claimed in its own committed transaction before the message goes
        out, and marked sent after: a crash between the two leaves a claimed row, which is
        never sent again (at most once) and is shown to organizers as unconfirmed.
        """
        pending = [
            ("signon", pk)
            for pk in self.signons()
            .exclude(deliveries__notice=self)
            .values_list("pk", flat=True)[:size]
        ]
        if len(pending) < size:
            pending += [
                ("pledge", pk)
                for pk in self.pledges()
                .exclude(deliveries__notice=self)
                .values_list("pk", flat=True)[: size - len(pending)]
            ]
        retry = Delivery.objects.filter(
            notice=self, status=Delivery.Status.FAILED, attempts__lt=settings.MAIL_ATTEMPTS
        )[: max(0, size - len(pending))]
        deliveries = []
        # Claim one recipient at a time, just before sending to it, so that a crash
        # leaves at most one recipient in doubt.
        for item in [*retry, *pending]:
            if isinstance(item, Delivery):
                delivery = item
            else:
                kind, pk = item
                try:
                    with transaction.atomic():
                        delivery = Delivery.objects.create(notice=self, **{kind + "_id": pk})
                except IntegrityError:
                    continue  # another worker claimed it
            deliveries.append(delivery)
            message = emails.notice_message(delivery)
            if message is None:
                delivery.finish(Delivery.Status.SKIPPED)
                continue
            try:
                message.send()
            except (smtplib.SMTPException, OSError):
                delivery.finish(Delivery.Status.FAILED)
                continue
            delivery.finish(Delivery.Status.SENT)
        more = bool(deliveries) and (
            self.signons().exclude(deliveries__notice=self).exists()
            or self.pledges().exclude(deliveries__notice=self).exists()
            or Delivery.objects.filter(
                notice=self, status=Delivery.Status.FAILED, attempts__lt=settings.MAIL_ATTEMPTS
            ).exists()
        )
        if not more:
            Notice.objects.filter(pk=self.pk, finished_at__isnull=True).update(
                finished_at=timezone.now()
            )
        return more


class Delivery(models.Model):
    """One recipient of one notice. Its row exists before the message is sent."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("being sent (unconfirmed if it stays so)")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be retried")
        SKIPPED = "skipped", _("skipped: no address any more")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    signon = models.ForeignKey(
        SignOn, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notice", "signon"], name="one_delivery_per_signon"),
            models.UniqueConstraint(fields=["notice", "pledge"], name="one_delivery_per_pledge"),
        ]

    def finish(self, status: str) -> None:
        Delivery.objects.filter(pk=self.pk).update(
            status=status, attempts=models.F("attempts") + 1, updated_at=timezone.now()
        )


def ask_to_reconfirm(sender, version: Version, **kwargs) -> None:
    """A new version was published (statements' version_published signal): ask signatories
    of earlier ones to reconfirm. Queued in the publishing transaction: both happen, or
    neither."""
    if version.number >= 2:
        Notice.objects.create(
            statement_id=version.statement_id, kind=Notice.Kind.RECONFIRM, version=version
        ).start()
