"""Individual pledges: the least data that works, counted without singling anyone out.

Nothing public moves when someone pledges, confirms or withdraws: the figures and the list of
public names are published at scheduled releases (releases.py). The one exception is the
withdrawal of a pledge listed under a public name, which takes the name off at once.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.multilingual import TranslatedField, pick
from tadamun.statements.models import ShownOnStatementPage, Statement, Tally

from .. import addresses, tokens
from ..tasks import send_mail
from .confirmation import Confirmable


class PledgeCategory(ShownOnStatementPage, models.Model):
    """Who pledges, in the words organizers choose per statement ("staff of a UN agency")."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="pledge_categories"
    )
    name = TranslatedField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("pledge category")
        verbose_name_plural = _("pledge categories")
        ordering = ["statement", "position", "pk"]

    def __str__(self) -> str:
        return pick(self.name)


class PledgeQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(status=Pledge.Status.CONFIRMED)


def city_key(city: str) -> str:
    return " ".join(city.casefold().split())


class Pledge(Confirmable, models.Model):
    confirm_mail = "pledge_confirm"
    LINKS = {
        "pledge-confirm": ("confirm_nonce", True),
        "pledge-work": ("work_nonce", True),
        "pledge-withdraw": ("withdraw_nonce", False),
        "pledge-unsubscribe": ("withdraw_nonce", False),
    }

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DUPLICATE = "duplicate", _("same address as an earlier pledge")

    class Appearance(models.TextChoices):
        COUNTED = "counted", _("Only counted: I appear in no list and no breakdown")
        CATEGORY = "category", _("By category: counted in the figures by category and city")
        NAMED = "named", _("By a public name I choose")

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="pledges")
    category = models.ForeignKey(
        PledgeCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    appearance = models.CharField(
        _("appearance"), max_length=10, choices=Appearance, default=Appearance.COUNTED
    )
    public_name = models.CharField(_("public name"), max_length=100, blank=True)
    joins_strike = models.BooleanField(_("joins the strike day"), default=False)
    wants_updates = models.BooleanField(_("wants updates"), default=False)
    # In clear only until confirmed, unless the person asked for updates.
    email = models.EmailField(_("e-mail address"), blank=True)
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    # The work address is kept only until it is confirmed; then only its domain remains.
    work_email = models.EmailField(_("work e-mail address"), blank=True)
    work_domain = models.CharField(_("verified work domain"), max_length=253, blank=True)
    work_verified = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.UNCONFIRMED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    confirm_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    withdraw_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    work_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    mails_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    last_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at"]
        indexes = [
            # The public list of people who chose a public name, read on every page render.
            models.Index(
                fields=["statement", "status", "appearance", "public_name", "id"],
                name="named_pledges",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "email_hash"],
                condition=Q(status="confirmed"),
                name="one_pledge_per_address_per_statement",
            )
        ]

    def __str__(self) -> str:
        return f"pledge #{self.pk} → {self.statement.slug}"

    @classmethod
    def submit(cls, statement: Statement, data: dict, language: str) -> "Pledge":
        """Store a pledge and queue its confirmation message(s) in one transaction."""
        with transaction.atomic():
            pledge = cls.objects.create(
                statement=statement,
                category=data.get("category"),
                city=data.get("city", ""),
                appearance=data["appearance"],
                public_name=data.get("public_name", "")
                if data["appearance"] == cls.Appearance.NAMED
                else "",
                joins_strike=bool(data.get("joins_strike")),
                wants_updates=bool(data.get("wants_updates")),
                email=data["email"],
                email_hash=addresses.fingerprint(data["email"]),
                work_email=data.get("work_email", ""),
                language=language,
                mails_sent=1,
                last_mailed_at=timezone.now(),
            )
            send_mail.enqueue("pledge_confirm", pledge.pk)
            if pledge.work_email:
                send_mail.enqueue("pledge_work", pledge.pk)
        return pledge

    # What is left to do: each link's page, each step and each message asks these.

    def can_confirm(self) -> bool:
        return self.status == self.Status.UNCONFIRMED

    def can_confirm_work(self) -> bool:
        return not self.work_verified and bool(self.work_email)

    def can_withdraw(self) -> bool:
        return self.status not in (self.Status.WITHDRAWN, self.Status.DUPLICATE)

    def can_unsubscribe(self) -> bool:
        return self.wants_updates

    def confirm(self) -> bool:
        """Count the pledge. A second pledge from the same mailbox is kept out of the
        count by the database; the person sees the same page either way."""
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().get(pk=self.pk)
            if not pledge.can_confirm():
                return False
            pledge.status = self.Status.CONFIRMED
            pledge.confirmed_at = timezone.now()
            if not pledge.wants_updates:
                pledge.email = ""
            try:
                with transaction.atomic():
                    pledge.save()
            except IntegrityError:
                pledge.status = self.Status.DUPLICATE
                pledge.email = ""
                pledge.save()
        self.refresh_from_db()
        return self.status == self.Status.CONFIRMED

    def confirm_work_address(self) -> bool:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().get(pk=self.pk)
            if not pledge.can_confirm_work():
                return False
            pledge.work_domain = addresses.domain_of(pledge.work_email)
            pledge.work_email = ""
            pledge.work_verified = True
            pledge.save(update_fields=["work_domain", "work_email", "work_verified"])
        self.refresh_from_db()
        return True

    def withdraw(self) -> bool:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().get(pk=self.pk)
            if not pledge.can_withdraw():
                return False
            was_counted = pledge.status == self.Status.CONFIRMED
            pledge.status = self.Status.WITHDRAWN
            pledge.withdrawn_at = timezone.now()
            pledge.email = pledge.work_email = ""
            pledge.wants_updates = False
            pledge.save()
            if was_counted and pledge.is_listed_by_name():
                # The person chose to be listed by name and now chose not to be: the name
                # goes at once (the figures wait for the next release).
                Tally.touch(pledge.statement_id)
        self.refresh_from_db()
        return True

    def is_listed_by_name(self) -> bool:
        """Whether the last release lists this pledge's public name."""
        listed = (
            Tally.objects.filter(statement_id=self.statement_id)
            .values_list("pledge_release__named", flat=True)
            .first()
        )
        return any(row[0] == self.pk for row in listed or [])

    def unsubscribe(self) -> bool:
        """Stop updates: the address is deleted; the pledge still counts. True if this call
        stopped them."""
        stopped = Pledge.objects.filter(pk=self.pk, wants_updates=True).update(
            email="", wants_updates=False
        )
        self.refresh_from_db()
        return bool(stopped)
