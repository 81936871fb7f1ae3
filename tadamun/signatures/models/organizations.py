"""Organizations as entities: one row however many spellings of its name have been seen.

An organization's public identity (its names, country, city and website) changes only by
that organization: it is set from a sign-on a moderator approved, or by an organizer. What a
new submission says is a proposal kept on the sign-on (signons.py); a name on a submission
nobody approved is never a key that other submissions are matched to.
"""

import json
from urllib.parse import urlsplit

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from tadamun.multilingual import TranslatedField, pick
from tadamun.record import models as record
from tadamun.statements.models import Statement, Tally

from .. import dedupe

IDENTITY_FIELDS = ("country", "city", "website")


class ConsentRequired(Exception):
    """A change only the signatory may make, through a link sent to its confirmed contact:
    the name it gave, listing it by name when it asked to be only counted, its withdrawal."""


class OrganizationQuerySet(models.QuerySet):
    # Sign-ons are found through the app registry: signons.py imports this module.

    def of_coalitions(self, coalition_ids) -> "OrganizationQuerySet":
        """Organizations that signed (or tried to sign) only these coalitions' statements:
        everything their records hold came from those coalitions' sign-ons."""
        SignOn = apps.get_model("signatures", "SignOn")
        elsewhere = SignOn.objects.exclude(statement__coalition_id__in=coalition_ids)
        return (
            self.filter(signons__statement__coalition_id__in=coalition_ids)
            .exclude(pk__in=elsewhere.values("organization_id"))
            .distinct()
        )

    def listed_publicly(self) -> "OrganizationQuerySet":
        """Organizations listed by name on a public statement: their names are public."""
        SignOn = apps.get_model("signatures", "SignOn")
        listed = SignOn.objects.listed().filter(statement__in=Statement.objects.public())
        return self.filter(pk__in=listed.values("organization_id"))

    def seen_by(self, coalition_ids) -> "OrganizationQuerySet":
        """What organizers of these coalitions may know of: their own coalitions'
        organizations and the publicly listed ones; never one known only from another
        coalition's sign-ons (a hidden signatory, a pending submission). None: everything."""
        if coalition_ids is None:
            return self.all()
        own = self.of_coalitions(coalition_ids).values("pk")
        public = self.listed_publicly().values("pk")
        return self.filter(models.Q(pk__in=own) | models.Q(pk__in=public))

    def signed_with(self, coalition_id: int) -> "OrganizationQuerySet":
        """The organizations that signed this coalition's statements, as its organizers may
        know them (seen_by): not one whose record another coalition's sign-ons also fed,
        unless it is listed publicly."""
        return self.seen_by({coalition_id}).filter(
            pk__in=self.filter(signons__statement__coalition_id=coalition_id).values("pk")
        )


class Organization(models.Model):
    """One organization, however many spellings of its name have been seen."""

    class Source(models.TextChoices):
        PROPOSED = "proposed", _("proposed by a submission nobody approved yet")
        SIGNON = "signon", _("from a sign-on a moderator approved")
        ORGANIZER = "organizer", _("entered by an organizer")

    name = TranslatedField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    # Where the details above come from. A PROPOSED organization is one submission's word
    # only: it is listed nowhere and no other submission is matched to it.
    source = models.CharField(
        _("details from"),
        max_length=10,
        choices=Source,
        default=Source.ORGANIZER,
        db_default=Source.ORGANIZER,
    )
    website_source = models.CharField(
        _("website from"), max_length=10, choices=Source, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return pick(self.name)

    def gave_its_name(self) -> bool:
        """Whether its name came from its own sign-on, approved by a moderator (rather than
        an organizer's import or entry): then the name is the organization's to change."""
        return self.source == self.Source.SIGNON

    @transaction.atomic
    def rename(self, names: dict, through) -> None:
        """The organization changes its name, through the link sent for sign-on `through`.
        Every list that shows it follows; the record says so for each (record_details)."""
        names = {code: " ".join(name.split()) for code, name in names.items() if name.strip()}
        if not names or names == self.name:
            return
        self.name = names
        self._by_signatory = True
        try:
            self.save()
        finally:
            self._by_signatory = False
        self.add_names(names)
        for signon in self.signons.select_related("statement"):
            signon.organization = self
            key = signon.make_list_key()
            if key != signon.list_key:
                self.signons.filter(pk=signon.pk).update(list_key=key)

    def record_details(self) -> None:
        """Where the public list now names this organization otherwise than the record last
        disclosed (an organizer corrected the name or country, or a merge moved a signature
        here), the record says so, with a commitment to the new details."""
        for signon in self.signons.listed().select_related("statement"):
            detail = json.loads(json.dumps(signon.public_detail()))
            if record.disclosed(signon.pk) != detail:
                record.append(
                    record.Entry.Action.RENAMED,
                    signon.statement.slug,
                    detail=detail,
                    signature=signon.pk,
                )

    @property
    def is_known(self) -> bool:
        """Approved or entered by an organizer: its names are keys, its details public."""
        return self.source != self.Source.PROPOSED

    def add_names(self, names: dict) -> list[str]:
        """Make `names` keys of this organization; returns those another one already holds.
        Only for names an organizer entered or a moderator accepted."""
        taken = []
        for name in names.values():
            key = dedupe.name_key(name)
            if not key:
                continue
            held, _created = OrganizationName.objects.get_or_create(
                key=key, defaults={"organization": self, "name": name}
            )
            if held.organization_id != self.pk:
                taken.append(name)
        return taken

    def save(self, *args, **kwargs):
        # The name an organization gave (approved from its own sign-on) is its own: no
        # organizer's form may change it, the admin's included (rename() is the
        # organization's way, through its link; a moderator may accept what the
        # organization itself submitted, apply_details()).
        fields = kwargs.get("update_fields")
        if (
            self.pk
            and not getattr(self, "_by_signatory", False)
            and (fields is None or "name" in fields)
        ):
            before = Organization.objects.filter(pk=self.pk).values("name", "source").first()
            if before and before["name"] != self.name and before["source"] == self.Source.SIGNON:
                raise ConsentRequired(_("Only the organization can change its name."))
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.record_details()
            listed = self.signons.public()
            if not adding and listed.exists():
                # Its name and country are on the lists of the statements it signed.
                Tally.touch_all(Statement.objects.filter(signons__in=listed))

    @classmethod
    def known_by(cls, names: dict) -> "Organization | None":
        """The approved organization known under any of `names` (same key), if any."""
        keys = [k for k in (dedupe.name_key(n) for n in names.values()) if k]
        known = OrganizationName.objects.filter(key__in=keys).select_related("organization").first()
        return known.organization if known else None

    @classmethod
    def find_or_create(cls, names: dict, **details) -> "Organization":
        """The organization known under any of `names`, or a new one with these details.
        For organizers (an import): a new organization is known at once."""
        found = cls.known_by(names)
        if found:
            return found
        try:
            with transaction.atomic():
                organization = cls.objects.create(
                    name=names,
                    source=cls.Source.ORGANIZER,
                    website_source=cls.Source.ORGANIZER if details.get("website") else "",
                    **details,
                )
                for key, name in {dedupe.name_key(n): n for n in names.values()}.items():
                    if key:
                        OrganizationName.objects.create(
                            organization=organization, key=key, name=name
                        )
                return organization
        except IntegrityError:
            # Another request created it meanwhile under the same key.
            return cls.known_by(names)

    @classmethod
    def for_submission(cls, names: dict, **details) -> "Organization":
        """The approved organization a submission names, or a new PROPOSED one holding the
        submission's details until a moderator approves it. Two submissions never share a
        proposed organization: the first one typed does not decide who the name is."""
        return cls.known_by(names) or cls.objects.create(
            name=names, source=cls.Source.PROPOSED, **details
        )

    def establish(self, names: dict, details: dict) -> "Organization | None":
        """A moderator approved this proposed organization's first sign-on: its details
        become public and its names become keys. If another organization was approved
        meanwhile under one of these names, nothing changes and that one is returned."""
        if self.is_known:
            return None
        other = Organization.known_by(names)
        if other is not None:
            return other
        self.name = names
        for field in IDENTITY_FIELDS:
            setattr(self, field, details.get(field, ""))
        self.source = self.Source.SIGNON
        self.website_source = self.Source.SIGNON if self.website else ""
        self.save()
        self.add_names(names)
        return None

    def apply_details(self, changes: dict, source: str, by=None) -> None:
        """Change the public identity: `changes` holds "name" ({language: name}, merged into
        the names) and/or fields of IDENTITY_FIELDS. Recorded (which fields, not their values:
        an organization counted without its name on some statement must not be named there),
        so the public record says when an organization's listed details changed."""
        names = changes.get("name") or {}
        if names:
            self.name = {**self.name, **names}
            self.add_names(names)
        # Accepting what the organization's own confirmed sign-on proposed is its word.
        self._by_signatory = source == self.Source.SIGNON
        for field in IDENTITY_FIELDS:
            if field in changes:
                setattr(self, field, changes[field])
        if "website" in changes:
            self.website_source = source if self.website else ""
        try:
            self.save()
        finally:
            self._by_signatory = False
        record.append(
            record.Entry.Action.DETAILS,
            organization=self.pk,
            changed=sorted(changes),
            by=getattr(by, "pk", None),
        )

    # Signals for moderators ------------------------------------------------------------

    def website_host(self) -> str:
        """The host of the website on the approved record ("" when there is none)."""
        if not self.is_known or not self.website_source or not self.website:
            return ""
        return (urlsplit(self.website).hostname or "").lower().removeprefix("www.")

    def domain_matches(self, email: str) -> bool | None:
        """Whether `email` is at the approved website's domain (or a subdomain of it); None
        when the approved record has no website to compare with."""
        host = self.website_host()
        if not host or "@" not in (email or ""):
            return None
        domain = email.rsplit("@", 1)[1].lower()
        return domain == host or domain.endswith("." + host) or host.endswith("." + domain)

    # What one coalition's organizers may know of it ------------------------------------

    def fed_only_by(self, coalition_ids) -> bool:
        """Whether only sign-ons to these coalitions' statements fed this record, so that
        their organizers may read and change it (None: an administrator, who may)."""
        if coalition_ids is None:
            return True
        return bool(coalition_ids) and (
            Organization.objects.of_coalitions(coalition_ids).filter(pk=self.pk).exists()
        )

    def known_to(self, coalition_ids) -> bool:
        """Whether organizers of these coalitions may know of it: their own coalitions'
        organization, or one listed publicly (None: an administrator, who may)."""
        if coalition_ids is None:
            return True
        return Organization.objects.seen_by(coalition_ids).filter(pk=self.pk).exists()

    def known_contact(self):
        """The contact of its last approved sign-on that still has an address (or None):
        who is told when someone else uses the organization's name."""
        return (
            self.signons.public().exclude(contact_email="").order_by("-decided_at", "-pk").first()
        )

    def near_duplicates(self, limit: int = 5, among=None) -> list[tuple["Organization", int]]:
        """Other organizations whose names look like this one's, with a 0-100 score; only
        those `among` (a queryset of organizations) when given."""
        return Organization.near_duplicates_of([self], limit, among)[self.pk]

    @classmethod
    def near_duplicates_of(
        cls, organizations: list["Organization"], limit: int = 5, among=None
    ) -> dict[int, list[tuple["Organization", int]]]:
        """near_duplicates() of each of `organizations` ({pk: …}), in two queries however
        many they are."""
        names = OrganizationName.objects.all()
        if among is not None:
            names = names.filter(organization__in=among)
        index = dedupe.NameIndex(names.values_list("organization_id", "name"))
        ranked: dict[int, list[tuple[int, int]]] = {}
        for organization in organizations:
            found: dict[int, int] = {}
            for name in organization.name.values():
                for org_id, score in index.similar(name, limit, exclude=organization.pk):
                    found[org_id] = max(found.get(org_id, 0), score)
            ranked[organization.pk] = sorted(found.items(), key=lambda item: -item[1])[:limit]
        others = cls.objects.in_bulk({org_id for pairs in ranked.values() for org_id, _ in pairs})
        return {
            pk: [(others[org_id], score) for org_id, score in pairs if org_id in others]
            for pk, pairs in ranked.items()
        }

    @transaction.atomic
    def merge(self, other: "Organization", by=None) -> None:
        """Fold `other` into this organization: its names and signatures move here."""
        if other.pk == self.pk:
            return
        if other.is_known and not self.is_known:
            # The approved identity is the one that stays.
            return other.merge(self, by=by)
        if other.gave_its_name() and by is not None and not by.is_superuser:
            # Its signatures would show the kept record's name, which it did not give.
            raise ConsentRequired(
                _("%(name)s signed itself: only an administrator can merge it into another.")
                % {"name": pick(other.name)}
            )
        OrganizationName.objects.filter(organization=other).update(organization=self)
        duplicates = []
        for signon in other.signons.select_for_update():
            approved = signon.Status.APPROVED
            mine = (
                self.signons.select_for_update()
                .filter(statement_id=signon.statement_id, status=approved)
                .first()
                if signon.status == approved
                else None
            )
            if mine:
                # The statement already counts this organization once: keep the row, stop
                # counting it twice. Where only one of the two asked to be named, that one
                # stays, so that no name leaves a list because of a merge.
                named = signon.Listing.NAMED
                loser = mine if signon.listing == named and mine.listing != named else signon
                loser.status = signon.Status.DUPLICATE
                loser.count(-1)
                loser.save(update_fields=["status"])
                duplicates.append(loser.pk)
                if loser is signon:
                    signon.status = signon.Status.DUPLICATE
            signon.organization = self
            signon.list_key = signon.make_list_key()
            signon.save(update_fields=["organization", "status", "list_key"])
        # The record says only which signatures stopped counting: never which organizations
        # were merged, nor which signatures moved, so that a signature counted without its
        # name is not tied to one. Listed signatures whose name changed get their own entries
        # (record_details, from save()).
        record.append(record.Entry.Action.MERGED, duplicates=sorted(duplicates))
        # A proposed organization's details are one submission's word: they stay proposals
        # on its sign-ons and do not fill in the kept organization's public identity.
        if other.is_known:
            if not self.gave_its_name():
                # An organization that gave its name keeps it as it gave it.
                for code, name in other.name.items():
                    self.name.setdefault(code, name)
            for field in IDENTITY_FIELDS:
                if not getattr(self, field):
                    setattr(self, field, getattr(other, field))
                    if field == "website":
                        self.website_source = other.website_source
        other.delete()
        self.save()


class OrganizationName(models.Model):
    """A spelling of an approved organization's name; its key makes the spelling unique."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="names",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key for comparing names"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("spelling of the name")
        verbose_name_plural = _("spellings of the name")

    def __str__(self) -> str:
        return self.name
