"""An organization's sign-on to a statement, from the form to the public list."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.multilingual import TranslatedField, pick
from tadamun.record import models as record
from tadamun.statements.models import Statement, Tally, Version

from .. import tokens
from .confirmation import Confirmable
from .organizations import Organization


class SignOnQuerySet(models.QuerySet):
    def public(self):
        """Approved and not withdrawn: the only sign-ons a reader ever sees or counts."""
        return self.filter(status=SignOn.Status.APPROVED)

    def listed(self):
        return self.public().filter(listing=SignOn.Listing.NAMED)


class SignOn(Confirmable, models.Model):
    """An organization's signature on a statement, from the form to the public list."""

    confirm_mail = "signon_confirm"
    LINKS = {
        "signon-confirm": ("confirm_nonce", True),
        "signon-withdraw": ("withdraw_nonce", False),
        "signon-reconfirm": ("reconfirm_nonce", False),
    }

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("waiting for e-mail confirmation")
        PENDING = "pending", _("confirmed, waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DUPLICATE = "duplicate", _("merged into another signature")

    class Listing(models.TextChoices):
        NAMED = "named", _("List our organization by name")
        COUNTED = "counted", _("Count us without publishing our name")

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="signons")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="signons")
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The text version the organization signed."),
    )
    # What the signer typed; the organization's public data may differ after a merge.
    submitted_name = TranslatedField(_("name as submitted"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    # Private: shown to organizers only, never on a public page, feed, export or API.
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_role = models.CharField(_("contact's role"), max_length=200, blank=True)
    listing = models.CharField(_("listing"), max_length=10, choices=Listing, default=Listing.NAMED)
    pauses_work = models.BooleanField(_("pauses work on the strike day"), default=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.UNCONFIRMED, db_index=True
    )
    reason = models.TextField(_("reason given to the signer"), blank=True)
    # The order of the public list: the organization's name in the statement's authoritative
    # language (else any), folded. Kept on the row so the list is read from an index.
    list_key = models.CharField(max_length=200, blank=True, editable=False)
    imported = models.BooleanField(_("imported"), default=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirm_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    withdraw_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    reconfirm_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    mails_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    last_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SignOnQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization sign-on")
        verbose_name_plural = _("organization sign-ons")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["statement", "status", "listing", "list_key", "id"], name="public_list"
            )
        ]
        constraints = [
            # One counted signature per organization and statement. Unconfirmed and
            # pending rows are not covered, so that nobody can block an organization by
            # submitting its name first; organizers see such rows flagged instead.
            models.UniqueConstraint(
                fields=["statement", "organization"],
                condition=Q(status="approved"),
                name="one_approved_signon_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{pick(self.submitted_name)} → {self.statement.slug}"

    # Links -----------------------------------------------------------------------

    # Signals for moderators ----------------------------------------------------------

    def email_matches_website(self) -> bool | None:
        """Whether the contact e-mail's domain is the website's (or a subdomain of it)."""
        website = self.website or self.organization.website
        if not website or "@" not in self.contact_email:
            return None
        host = (urlsplit(website).hostname or "").lower().removeprefix("www.")
        domain = self.contact_email.rsplit("@", 1)[1].lower()
        return bool(host) and (
            domain == host or domain.endswith("." + host) or host.endswith("." + domain)
        )

    def earlier_statements(self):
        return (
            Statement.objects.filter(
                signons__organization=self.organization, signons__status=SignOn.Status.APPROVED
            )
            .exclude(pk=self.statement_id)
            .distinct()
        )

    def already_approved(self) -> bool:
        return (
            SignOn.objects.public()
            .filter(statement_id=self.statement_id, organization_id=self.organization_id)
            .exclude(pk=self.pk)
            .exists()
        )

    # Steps ---------------------------------------------------------------------------

    @classmethod
    def submit(cls, statement: Statement, data: dict, language: str) -> "SignOn":
        """Store a sign-on from the form and queue its confirmation message, together:
        once the signer is told it was received, both survive a crash."""
        from ..tasks import send_mail

        with transaction.atomic():
            organization = Organization.find_or_create(
                data["names"],
                country=data["country"],
                city=data.get("city", ""),
                website=data.get("website", ""),
            )
            signon = cls.objects.create(
                statement=statement,
                organization=organization,
                version=statement.current_version,
                submitted_name=data["names"],
                country=data["country"],
                city=data.get("city", ""),
                website=data.get("website", ""),
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_role=data["contact_role"],
                listing=data["listing"],
                pauses_work=bool(data.get("pauses_work")),
                language=language,
                mails_sent=1,
                last_mailed_at=timezone.now(),
            )
            send_mail.enqueue("signon_confirm", signon.pk)
        return signon

    def confirm(self) -> bool:
        """The signer proved the address. True if this call confirmed it."""
        with transaction.atomic():
            updated = SignOn.objects.filter(pk=self.pk, status=self.Status.UNCONFIRMED).update(
                status=self.Status.PENDING, confirmed_at=timezone.now()
            )
        self.refresh_from_db()
        return bool(updated)

    def approve(self, by=None) -> None:
        """Publish the signature, record it and tell the signer."""
        from ..tasks import send_mail

        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            if signon.status != self.Status.PENDING:
                raise ValueError(_("Only confirmed sign-ons waiting for approval can be approved."))
            if signon.already_approved():
                raise ValueError(_("This organization has already signed this statement."))
            signon.status = self.Status.APPROVED
            signon.decided_at = timezone.now()
            signon.decided_by = by
            signon.version = signon.version or signon.statement.current_version
            signon.list_key = signon.make_list_key()
            signon.save(update_fields=["status", "decided_at", "decided_by", "version", "list_key"])
            signon.count(+1)
            record.append(
                record.Entry.Action.APPROVED,
                signon.statement.slug,
                **signon.public_facts(),
            )
            send_mail.enqueue("signon_approved", signon.pk)
        self.refresh_from_db()

    def reject(self, reason: str = "", by=None) -> None:
        from ..tasks import send_mail

        with transaction.atomic():
            updated = SignOn.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
                status=self.Status.REJECTED, reason=reason, decided_at=timezone.now(), decided_by=by
            )
            if not updated:
                raise ValueError(_("Only confirmed sign-ons waiting for approval can be rejected."))
            record.append(record.Entry.Action.REJECTED, self.statement.slug, signature=self.pk)
            send_mail.enqueue("signon_rejected", self.pk)
        self.refresh_from_db()

    def withdraw(self) -> bool:
        """The signer leaves. True if this call withdrew it; the count drops at once."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            if signon.status in (
                self.Status.WITHDRAWN,
                self.Status.REJECTED,
                self.Status.DUPLICATE,
            ):
                return False
            was_public = signon.status == self.Status.APPROVED
            signon.status = self.Status.WITHDRAWN
            signon.withdrawn_at = timezone.now()
            signon.save(update_fields=["status", "withdrawn_at"])
            if was_public:
                signon.count(-1)
                record.append(
                    record.Entry.Action.WITHDRAWN, signon.statement.slug, **signon.public_facts()
                )
        self.refresh_from_db()
        return True

    def make_list_key(self) -> str:
        names = self.organization.name or self.submitted_name
        name = names.get(self.statement.authoritative_language) or pick(names)
        return " ".join(name.casefold().split())[:200]

    def signed_current_version(self) -> bool:
        return self.version_id is None or self.version_id == self.statement.current_version_id

    def reconfirm(self) -> bool:
        """The signatory signs the current text. True if this call moved it."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().select_related("statement").get(pk=self.pk)
            current = signon.statement.current_version
            if signon.status != self.Status.APPROVED or signon.version_id == current.pk:
                return False
            if signon.statement.reconfirmation_closed_at:
                return False
            signon.version = current
            signon.save(update_fields=["version"])
            record.append(
                record.Entry.Action.RECONFIRMED,
                signon.statement.slug,
                signature=signon.pk,
                version=current.number,
            )
        self.refresh_from_db()
        return True

    def count(self, delta: int) -> None:
        """Move the statement's public counts by `delta` for this signature."""
        Tally.add(
            self.statement_id,
            organizations=delta,
            organizations_named=delta if self.listing == self.Listing.NAMED else 0,
            organizations_pausing=delta if self.pauses_work else 0,
        )

    @classmethod
    def recount(cls, statement: Statement) -> None:
        """Rebuild the organization counts from the rows: for imports and repairs only."""
        public = cls.objects.public().filter(statement=statement)
        Tally.objects.get_or_create(statement=statement)
        Tally.objects.filter(statement=statement).update(
            organizations=public.count(),
            organizations_named=public.filter(listing=cls.Listing.NAMED).count(),
            organizations_pausing=public.filter(pauses_work=True).count(),
        )

    def public_facts(self) -> dict:
        """What the record may say of this signature: never contact data, and no name
        for an organization that asked to be counted without it."""
        facts = {
            "signature": self.pk,
            "version": self.version.number if self.version_id else None,
            "listed": self.listing == self.Listing.NAMED,
            "pauses_work": self.pauses_work,
        }
        if self.listing == self.Listing.NAMED:
            facts["organization"] = self.organization_id
            facts["name"] = self.organization.name
        return facts
