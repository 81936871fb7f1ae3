"""An organization's sign-on to a statement, from the form to the public list."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.multilingual import TranslatedField, pick
from tadamun.record import models as record
from tadamun.statements.models import Statement, Tally, Version

from .. import emails, tokens
from ..tasks import send_mail
from .confirmation import Confirmable
from .organizations import IDENTITY_FIELDS, ConsentRequired, Organization


class SignOnQuerySet(models.QuerySet):
    def public(self):
        """Approved and not withdrawn: the only sign-ons a reader ever sees or counts."""
        return self.filter(status=SignOn.Status.APPROVED)

    def listed(self):
        return self.public().filter(listing=SignOn.Listing.NAMED)

    def with_already_approved(self):
        """Each with `already_approved_here`: whether another signature of its organization
        is approved on its statement (for lists, in the same query)."""
        return self.annotate(
            already_approved_here=Exists(
                SignOn.objects.public()
                .filter(statement=OuterRef("statement"), organization=OuterRef("organization"))
                .exclude(pk=OuterRef("pk"))
            )
        )


class SignOn(Confirmable, models.Model):
    """An organization's signature on a statement, from the form to the public list."""

    confirm_mail = "signon_confirm"
    LINKS = {
        "signon-confirm": ("confirm_nonce", True),
        "signon-withdraw": ("withdraw_nonce", False),
        "signon-reconfirm": ("reconfirm_nonce", False),
        # Changing the listing or the name: sent when an organizer is asked to, short-lived and
        # single-use, since it can put a hidden name on the list.
        "signon-details": ("details_nonce", True),
    }

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("waiting for e-mail confirmation")
        PENDING = "pending", _("confirmed, waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DUPLICATE = "duplicate", _("merged into another signature")
        REMOVED = "removed", _("removed by a moderator as not genuine")

    class Listing(models.TextChoices):
        NAMED = "named", _("List our organization by name")
        COUNTED = "counted", _("Count us without publishing our name")

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="signons", verbose_name=_("statement")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="signons",
        verbose_name=_("organization"),
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
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
    # The submission names an organization already approved: its details are a proposal,
    # and unless its address is at that organization's approved domain it waits, held,
    # until a moderator has checked with the organization.
    # Database defaults too, so that rows written in bulk by SQL (benchmarks) need not name them.
    claim = models.BooleanField(_("claims a listed organization"), default=False, db_default=False)
    held = models.BooleanField(
        _("held"),
        default=False,
        db_default=False,
        help_text=_(
            "A claim on a listed organization from an address outside its known domain: it is "
            "approved only one by one, after checking with the organization."
        ),
    )
    claim_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Set when the organization's name was erased from this row and from the public record.
    forgotten_at = models.DateTimeField(_("name erased at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    confirm_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    withdraw_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    reconfirm_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    details_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    mails_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    # The same form sent again (the back button, a second click) lands on the same row.
    times_submitted = models.PositiveSmallIntegerField(
        _("times submitted"), default=1, db_default=1, editable=False
    )
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

    # What only the signatory may do (through its links): be listed by name after asking to
    # be only counted, change the name it gave, come back after withdrawing. Refused here,
    # whatever page or API tries it.
    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        watched = {"listing", "submitted_name", "status"}
        if (
            self.pk
            and not getattr(self, "_by_signatory", False)
            and (fields is None or set(fields) & watched)
        ):
            before = SignOn.objects.filter(pk=self.pk).values(*watched).first()
            if before:
                if before["listing"] == self.Listing.COUNTED != self.listing:
                    raise ConsentRequired(_("Only the signatory can have its name listed."))
                # Erasing it (forget(), at the organization's request) is allowed.
                if before["submitted_name"] != self.submitted_name and self.submitted_name:
                    raise ConsentRequired(_("Only the signatory can change the name it gave."))
                if before["status"] == self.Status.WITHDRAWN != self.status:
                    raise ConsentRequired(_("Only the signatory can sign again."))
        super().save(*args, **kwargs)

    # Signals for moderators ----------------------------------------------------------
    # None of them trusts what the submitter typed: the domain is compared with the website
    # on the organization's approved record, history is the organization's own.

    def email_matches_website(self) -> bool | None:
        """Whether the confirmed contact address is at the domain of the website on the
        organization's approved record (or one an organizer entered); None when there is
        nothing approved to compare with or the address is not confirmed yet."""
        if self.status == self.Status.UNCONFIRMED or not self.organization.is_known:
            return None
        return self.organization.domain_matches(self.contact_email)

    def domain_signal(self, seen_by=None) -> tuple[bool | None, str]:
        """The domain signal and what it was compared with, in words for moderators of the
        coalitions `seen_by` (None: an administrator): the approved website of an
        organization they may not know of is another coalition's word, neither shown nor
        compared."""
        organization = self.organization
        if organization.is_known and not organization.known_to(seen_by):
            return None, _(
                "The organization's record comes from another coalition's sign-ons: it is not "
                "compared here."
            )
        match = self.email_matches_website()
        if not organization.is_known:
            return None, _(
                "A new organization: there is no approved website to compare the address "
                "with. The website in the submission is the submitter's own word."
            )
        if not organization.website_host():
            return None, _("The organization's approved record has no website to compare with.")
        source = {
            Organization.Source.ORGANIZER: _("the website an organizer entered"),
        }.get(organization.website_source, _("the website on the organization's approved record"))
        if match:
            text = _("The address is at %(host)s, %(source)s.")
        else:
            text = _("The address is not at %(host)s, %(source)s.")
        return match, text % {"host": organization.website_host(), "source": source}

    # Histories are of the statement's own coalition only: a coalition's moderators must not
    # learn who signed another coalition's statements, named or counted.

    def earlier_statements(self):
        """Statements the organization signed earlier that count for this submitter: signed
        from the same address, or this address is at the organization's approved domain.
        Anyone can type a listed name; only this keeps its history from vouching for them."""
        if self.status == self.Status.UNCONFIRMED:
            return Statement.objects.none()
        earlier = SignOn.objects.filter(
            organization_id=self.organization_id,
            status=SignOn.Status.APPROVED,
            statement__coalition_id=self.statement.coalition_id,
        ).exclude(statement_id=self.statement_id)
        if not self.email_matches_website():
            earlier = earlier.filter(contact_email__iexact=self.contact_email or "-")
        return Statement.objects.filter(signons__in=earlier).distinct()

    def organization_statements(self):
        """Every statement of this coalition the organization signed earlier, whoever signed
        for it."""
        return (
            Statement.objects.filter(
                coalition_id=self.statement.coalition_id,
                signons__organization=self.organization_id,
                signons__status=SignOn.Status.APPROVED,
            )
            .exclude(pk=self.statement_id)
            .distinct()
        )

    # What the submission proposes --------------------------------------------------------

    def proposed_changes(self, seen_by=None) -> list[dict]:
        """How this submission's details differ from the organization's approved record:
        [{"field", "label", "current", "proposed"}]; empty for a new organization (its
        details become the record when it is approved), and for moderators of the
        coalitions `seen_by` when other coalitions' sign-ons also fed the record (it is
        neither shown nor changed from one coalition)."""
        organization = self.organization
        if not organization.is_known or not organization.fed_only_by(seen_by):
            return []
        changes = []
        for code, name in sorted((self.submitted_name or {}).items()):
            current = organization.name.get(code, "")
            if name and name != current:
                changes.append(
                    {
                        "field": f"name_{code}",
                        "label": _("name (%(language)s)") % {"language": code},
                        "current": current,
                        "proposed": name,
                    }
                )
        for field in IDENTITY_FIELDS:
            proposed = getattr(self, field)
            if proposed and proposed != getattr(organization, field):
                changes.append(
                    {
                        "field": field,
                        "label": Organization._meta.get_field(field).verbose_name,
                        "current": getattr(organization, field),
                        "proposed": proposed,
                    }
                )
        return changes

    def accept_details(self, fields: list[str], by=None) -> list[str]:
        """A moderator accepts some of the proposed details: they become the organization's
        public identity. Never from an unconfirmed, rejected or withdrawn submission, nor
        from a held one before it is released. Returns the fields applied."""
        with transaction.atomic():
            signon = (
                SignOn.objects.select_for_update().select_related("organization").get(pk=self.pk)
            )
            accepting = signon.status == self.Status.APPROVED or (
                signon.status == self.Status.PENDING and not signon.held
            )
            if not accepting:
                raise ValueError(
                    _(
                        "Only the details of an approved sign-on, or of a confirmed one that is "
                        "not held, can be accepted."
                    )
                )
            proposed = {change["field"]: change for change in signon.proposed_changes()}
            chosen = [field for field in fields if field in proposed]
            changes: dict = {}
            for field in chosen:
                if field.startswith("name_"):
                    changes.setdefault("name", {})[field[5:]] = proposed[field]["proposed"]
                else:
                    changes[field] = proposed[field]["proposed"]
            if changes:
                signon.organization.apply_details(changes, Organization.Source.SIGNON, by=by)
        self.refresh_from_db()
        return chosen

    def claim_on(self, organization: Organization) -> None:
        """Attach this submission to a listed organization as a claim on it."""
        proposed = self.organization if not self.organization.is_known else None
        self.organization = organization
        self.claim = True
        self.held = organization.domain_matches(self.contact_email) is not True
        self.save(update_fields=["organization", "claim", "held"])
        if proposed is not None and not proposed.signons.exists():
            proposed.delete()

    def already_approved(self) -> bool:
        """Another signature of this organization is approved on this statement."""
        if "already_approved_here" in self.__dict__:
            return self.already_approved_here
        return (
            SignOn.objects.filter(pk=self.pk)
            .with_already_approved()
            .values_list("already_approved_here", flat=True)
            .get()
        )

    # Steps ---------------------------------------------------------------------------

    # What makes two submissions the same one, besides the statement and the address. The
    # organization counts only when it is a listed one: each submission of a new name
    # proposes an organization of its own (Organization.for_submission).
    SAME_SUBMISSION = (
        "submitted_name",
        "country",
        "city",
        "website",
        "contact_name",
        "contact_role",
        "listing",
        "pauses_work",
    )

    class Outcome(models.TextChoices):
        """What a submission did, for the page the signer sees next."""

        NEW = "new"  # a new sign-on; its confirmation message is queued
        RESENT = "resent"  # sent before and waiting: the message is queued again
        WAIT = "wait"  # sent before and waiting: the last message left a short while ago
        LIMIT = "limit"  # sent before and waiting: the message went as often as allowed
        CONFIRMED = "confirmed"  # sent before and confirmed: it waits for the organizers

    def identity(self) -> tuple:
        """The submission as the signer made it: the same form sent twice has one identity."""
        values = [getattr(self, field) for field in self.SAME_SUBMISSION]
        values[0] = sorted((self.submitted_name or {}).items())
        listed = self.organization_id if self.organization.is_known else None
        return (self.statement_id, self.contact_email.casefold(), listed, *map(str, values))

    def identical(self, rows) -> list["SignOn"]:
        """Those of `rows` that are the same submission as this one (itself excluded)."""
        candidates = (
            rows.filter(statement_id=self.statement_id, contact_email__iexact=self.contact_email)
            .exclude(pk=self.pk)
            .select_related("organization")
        )
        return [row for row in candidates if row.identity() == self.identity()]

    @classmethod
    def awaiting(cls):
        """Unconfirmed rows whose link still works, and confirmed rows not yet decided."""
        fresh = timezone.now() - datetime.timedelta(hours=settings.CONFIRMATION_HOURS)
        return cls.objects.filter(
            Q(status=cls.Status.PENDING) | Q(status=cls.Status.UNCONFIRMED, created_at__gte=fresh)
        )

    @classmethod
    def submit(cls, statement: Statement, data: dict, language: str) -> "SignOn":
        """Store a sign-on from the form and queue its confirmation message, together:
        once the signer is told it was received, both survive a crash.

        The same form sent again while the first is still waiting (the back button, a
        double click) is not a second sign-on: the first row counts it, and its confirmation
        message goes again only as `resend` allows. `outcome` on the returned row says which.
        """
        with transaction.atomic():
            organization = Organization.for_submission(
                data["names"],
                country=data["country"],
                city=data.get("city", ""),
                website=data.get("website", ""),
            )
            claim = organization.is_known
            signon = cls(
                claim=claim,
                held=claim and organization.domain_matches(data["contact_email"]) is not True,
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
            same = signon.identical(cls.awaiting().select_for_update().order_by("pk"))
            if same:
                first = same[0]
                if not organization.is_known:
                    organization.delete()  # proposed just now, by this copy alone
                cls.objects.filter(pk=first.pk).update(times_submitted=F("times_submitted") + 1)
                first.refresh_from_db()
                if first.status == cls.Status.PENDING:
                    first.outcome = cls.Outcome.CONFIRMED
                elif first.resend():
                    first.outcome = cls.Outcome.RESENT
                elif first.mails_sent >= settings.MAX_CONFIRMATION_MAILS:
                    first.outcome = cls.Outcome.LIMIT
                else:
                    first.outcome = cls.Outcome.WAIT
                return first
            signon.save()
            signon.outcome = cls.Outcome.NEW
            send_mail.enqueue("signon_confirm", signon.pk)
        return signon

    def fold_identical(self, by=None) -> int:
        """Mark the other confirmed copies of this same submission as duplicates of it, so
        that one decision settles them all. Returns how many were folded."""
        with transaction.atomic():
            others = self.identical(
                SignOn.objects.select_for_update().filter(status=self.Status.PENDING)
            )
            if not others:
                return 0
            SignOn.objects.filter(pk__in=[row.pk for row in others]).update(
                status=self.Status.DUPLICATE, decided_at=timezone.now(), decided_by=by
            )
            SignOn.objects.filter(pk=self.pk).update(
                times_submitted=F("times_submitted") + sum(row.times_submitted for row in others)
            )
        self.refresh_from_db()
        return len(others)

    # What is left to do: each link's page, each step and each message asks these.

    def can_confirm(self) -> bool:
        return self.status == self.Status.UNCONFIRMED

    def awaits_decision(self) -> bool:
        return self.status == self.Status.PENDING

    def can_withdraw(self) -> bool:
        """The withdrawal link has something left to do: withdraw the signature, or, once
        withdrawn, erase the name the public record still shows."""
        if self.status == self.Status.WITHDRAWN:
            return not self.forgotten_at and record.disclosed(self.pk) is not None
        return self.status not in self.ENDED

    def can_reconfirm(self) -> bool:
        """An approved signature of an earlier version (if the organizers have not closed
        reconfirmation: the statement's reconfirmation_closed_at)."""
        return self.status == self.Status.APPROVED and not self.signed_current_version()

    def can_change_details(self) -> bool:
        """The listing link has something to do: only a signature on the list can change how
        it appears there."""
        return self.status == self.Status.APPROVED

    def signed_current_version(self) -> bool:
        return self.version_id is None or self.version_id == self.statement.current_version_id

    def confirm(self) -> bool:
        """The signer proved the address. True if this call confirmed it."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            confirmed = signon.can_confirm()
            if confirmed:
                signon.status = self.Status.PENDING
                signon.confirmed_at = timezone.now()
                signon.save(update_fields=["status", "confirmed_at"])
                if signon.held:
                    signon.tell_the_organization()
        self.refresh_from_db()
        return confirmed

    def tell_the_organization(self) -> bool:
        """Someone proved an address outside a listed organization's domain and used its
        name: the organization's known contact is told, in that contact's language, at most
        once a day. The message carries nothing the submitter wrote."""
        known = self.organization.known_contact()
        if known is None or known.contact_email.lower() == self.contact_email.lower():
            return False
        since = timezone.now() - datetime.timedelta(hours=settings.CLAIM_NOTICE_HOURS)
        if SignOn.objects.filter(
            organization_id=self.organization_id, claim_notified_at__gte=since
        ).exists():
            return False
        SignOn.objects.filter(pk=self.pk).update(claim_notified_at=timezone.now())
        send_mail.enqueue("signon_claimed", self.pk)
        return True

    def approve(self, by=None, release: bool = False) -> None:
        """Publish the signature, record it and tell the signer. A held claim is approved
        only with `release`, which a moderator gives one sign-on at a time after checking
        with the organization. The first approved sign-on of a new organization makes its
        details the organization's public record; a claim leaves the record as it is."""
        problem = None
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            if not signon.awaits_decision():
                raise ValueError(_("Only confirmed sign-ons waiting for approval can be approved."))
            if signon.held and not release:
                raise ValueError(
                    _(
                        "Held: it claims a listed organization from an address outside its "
                        "domain. Check with the organization, then approve it from its page."
                    )
                )
            if signon.already_approved():
                raise ValueError(_("This organization has already signed this statement."))
            organization = signon.organization
            if not organization.is_known:
                other = organization.establish(signon.submitted_name, signon.proposed_details())
                if other is not None:
                    signon.claim_on(other)
                    problem = _(
                        "Another sign-on under this name was approved meanwhile; this one is "
                        "now a claim on that organization. Check it, then approve it again."
                    )
            if problem is None:
                signon.status = self.Status.APPROVED
                signon.held = False
                signon.decided_at = timezone.now()
                signon.decided_by = by
                signon.version = signon.version or signon.statement.current_version
                signon.list_key = signon.make_list_key()
                signon.save(
                    update_fields=[
                        "status",
                        "held",
                        "decided_at",
                        "decided_by",
                        "version",
                        "list_key",
                    ]
                )
                signon.count(+1)
                record.append(
                    record.Entry.Action.APPROVED,
                    signon.statement.slug,
                    detail=signon.public_detail(),
                    **signon.public_facts(),
                )
                send_mail.enqueue("signon_approved", signon.pk)
        self.refresh_from_db()
        if problem is not None:
            raise ValueError(problem)

    def proposed_details(self) -> dict:
        return {field: getattr(self, field) for field in IDENTITY_FIELDS}

    def reject(self, reason: str = "", by=None) -> None:
        """Refuse the signature, record it and tell the signer why."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            if not signon.awaits_decision():
                raise ValueError(_("Only confirmed sign-ons waiting for approval can be rejected."))
            signon.status = self.Status.REJECTED
            signon.reason = reason
            signon.decided_at = timezone.now()
            signon.decided_by = by
            signon.save(update_fields=["status", "reason", "decided_at", "decided_by"])
            record.append(record.Entry.Action.REJECTED, self.statement.slug, signature=self.pk)
            send_mail.enqueue("signon_rejected", self.pk)
        self.refresh_from_db()

    ENDED = (Status.WITHDRAWN, Status.REJECTED, Status.DUPLICATE, Status.REMOVED)

    def withdraw(self, forget: bool = False) -> bool:
        """The signer leaves. True if this call withdrew it; the count drops at once.
        With `forget`, the name is also erased from the public record (see forget())."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            withdrawn = signon.status not in self.ENDED
            if withdrawn:
                was_public = signon.status == self.Status.APPROVED
                signon.status = self.Status.WITHDRAWN
                signon.withdrawn_at = timezone.now()
                signon.save(update_fields=["status", "withdrawn_at"])
                if was_public:
                    signon.count(-1)
                    record.append(
                        record.Entry.Action.WITHDRAWN, signon.statement.slug, signature=signon.pk
                    )
            if forget:
                signon.forget()
        self.refresh_from_db()
        return withdrawn

    def remove(self, by=None) -> None:
        """A moderator takes down a signature that was not genuine (someone signed in an
        organization's name): it leaves the list and the count, and the name it carried
        leaves the public record."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().get(pk=self.pk)
            if signon.status != self.Status.APPROVED:
                raise ValueError(_("Only a signature on the public list can be removed."))
            signon.status = self.Status.REMOVED
            signon.decided_at = timezone.now()
            signon.decided_by = by
            signon.save(update_fields=["status", "decided_at", "decided_by"])
            signon.count(-1)
            record.append(record.Entry.Action.REMOVED, signon.statement.slug, signature=signon.pk)
            signon.forget()
        self.refresh_from_db()

    def forget(self) -> bool:
        """Erase the organization's name wherever this signature carried it: the public record's
        disclosures (the entries stay, so every checkpoint still verifies), the name and
        details on this row, and the row's link to the organization (it now points to an
        empty organization of its own). True if this call erased it.

        Only a signature that no longer stands can be forgotten: the list names those that do.
        """
        with transaction.atomic():
            signon = (
                SignOn.objects.select_for_update()
                .select_related("statement", "organization")
                .get(pk=self.pk)
            )
            if signon.status in (self.Status.APPROVED, self.Status.PENDING):
                raise ValueError(_("Withdraw or remove the signature before erasing its name."))
            if signon.forgotten_at:
                return False
            record.forget(signon.pk, signon.statement.slug)
            organization = signon.organization
            signon.organization = Organization.objects.create(name={})
            signon.submitted_name = {}
            signon.city = signon.website = signon.list_key = ""
            signon.contact_name = signon.contact_email = signon.contact_role = ""
            signon.forgotten_at = timezone.now()
            signon.save(
                update_fields=[
                    "organization",
                    "submitted_name",
                    "city",
                    "website",
                    "list_key",
                    "contact_name",
                    "contact_email",
                    "contact_role",
                    "forgotten_at",
                ]
            )
            if not organization.signons.exists():
                organization.delete()
        self.refresh_from_db()
        return True

    def record_changes(self, before: "SignOn") -> None:
        """After an organizer changed how a standing signature is shown (listed by name or
        counted, pausing work or not): move the counts and say so in the record. A signature
        that stops being named leaves the record's disclosures too."""
        if self.status != self.Status.APPROVED:
            return
        named, was_named = self.listing == self.Listing.NAMED, before.listing == self.Listing.NAMED
        if named == was_named and self.pauses_work == before.pauses_work:
            return
        with transaction.atomic():
            Tally.add(
                self.statement_id,
                organizations_named=int(named) - int(was_named),
                organizations_pausing=int(self.pauses_work) - int(before.pauses_work),
            )
            if was_named and not named:
                record.forget(self.pk, self.statement.slug)
            record.append(
                record.Entry.Action.AMENDED,
                self.statement.slug,
                detail=self.public_detail() if named and not was_named else None,
                **self.public_facts(),
            )

    def send_details_link(self) -> bool:
        """Mail the confirmed contact a link to change the listing or the name: how an
        organizer acts when an organization asks. False if there is nobody to send it to."""
        if not self.can_change_details() or not self.contact_email:
            return False
        send_mail.enqueue("signon_details", self.pk)
        return True

    def change_details(self, listing: str, names: dict) -> list[str]:
        """The signatory, through its link, changes how it is listed and its name. The counts
        and the record follow; the link is then used up. Returns what changed."""
        changed = []
        with transaction.atomic():
            # Locks this row only: PostgreSQL locks no nullable side of a join (the version).
            signon = (
                SignOn.objects.select_for_update(of=("self",))
                .select_related("statement", "organization", "version")
                .get(pk=self.pk)
            )
            if not signon.can_change_details():
                return changed
            if listing in self.Listing.values and listing != signon.listing:
                before = SignOn.objects.get(pk=self.pk)
                signon.listing = listing
                signon._by_signatory = True
                signon.save(update_fields=["listing"])
                signon.record_changes(before)
                changed.append("listing")
            names = {c: n for c, n in names.items() if n.strip()}
            if names and names != signon.organization.name:
                signon.organization.rename(names, through=signon)
                changed.append("name")
            SignOn.objects.filter(pk=self.pk).update(details_nonce=tokens.new_nonce())
        self.refresh_from_db()
        return changed

    def make_list_key(self) -> str:
        names = self.organization.name or self.submitted_name
        name = names.get(self.statement.authoritative_language) or pick(names)
        return " ".join(name.casefold().split())[:200]

    def plain_name(self) -> str:
        """The name to show whoever opened one of this sign-on's links: the organization's
        approved name once approved, else what was submitted; as plain text without links
        either way, since the link may have reached someone who never submitted it."""
        known = self.status in (self.Status.APPROVED, self.Status.WITHDRAWN)
        names = self.organization.name if known else self.submitted_name
        return emails.plain_name(pick(names, self.language))

    def reconfirm(self) -> bool:
        """The signatory signs the current text. True if this call moved it."""
        with transaction.atomic():
            signon = SignOn.objects.select_for_update().select_related("statement").get(pk=self.pk)
            if not signon.can_reconfirm() or signon.statement.reconfirmation_closed_at:
                return False
            current = signon.statement.current_version
            signon.version = current
            signon.save(update_fields=["version"])
            # The list says which version each organization signed.
            Tally.touch(signon.statement_id)
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
            generation=F("generation") + 1,
        )

    def public_facts(self) -> dict:
        """What the record writes of this signature: never a name or contact data."""
        return {
            "signature": self.pk,
            "version": self.version.number if self.version_id else None,
            "listed": self.listing == self.Listing.NAMED,
            "pauses_work": self.pauses_work,
        }

    def public_detail(self) -> dict | None:
        """What the record commits to and discloses while the signature stands: the
        organization as the public list names it. None for an organization counted without
        its name: nothing in the record may tie that signature to a name."""
        if self.listing != self.Listing.NAMED:
            return None
        organization = self.organization
        return {
            "organization": organization.pk,
            "name": organization.name,
            "country": organization.country,
        }
