"""Organizations as entities: one row however many spellings of its name have been seen."""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from tadamun.multilingual import TranslatedField, pick
from tadamun.record import models as record

from .. import dedupe


class Organization(models.Model):
    """One organization, however many spellings of its name have been seen."""

    name = TranslatedField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return pick(self.name)

    def add_names(self, names: dict) -> None:
        for name in names.values():
            key = dedupe.name_key(name)
            if key:
                OrganizationName.objects.get_or_create(
                    key=key, defaults={"organization": self, "name": name}
                )

    @classmethod
    def find_or_create(cls, names: dict, **details) -> "Organization":
        """The organization known under any of `names` (same key), or a new one."""
        keys = [k for k in (dedupe.name_key(n) for n in names.values()) if k]
        known = OrganizationName.objects.filter(key__in=keys).select_related("organization").first()
        if known:
            return known.organization
        try:
            with transaction.atomic():
                organization = cls.objects.create(name=names, **details)
                for key, name in {dedupe.name_key(n): n for n in names.values()}.items():
                    if key:
                        OrganizationName.objects.create(
                            organization=organization, key=key, name=name
                        )
                return organization
        except IntegrityError:
            # Another request created it meanwhile under the same key.
            return OrganizationName.objects.get(key__in=keys[:1]).organization

    def near_duplicates(self, limit: int = 5) -> list[tuple["Organization", int]]:
        """Other organizations whose names look like this one's, with a 0-100 score."""
        candidates: dict[int, list[str]] = {}
        for org_id, name in OrganizationName.objects.exclude(organization=self).values_list(
            "organization_id", "name"
        ):
            candidates.setdefault(org_id, []).append(name)
        found: dict[int, int] = {}
        for name in self.name.values():
            for org_id, score in dedupe.similar(name, candidates, limit=limit):
                found[org_id] = max(found.get(org_id, 0), score)
        orgs = Organization.objects.in_bulk(list(found))
        ranked = sorted(found.items(), key=lambda item: -item[1])[:limit]
        return [(orgs[org_id], score) for org_id, score in ranked if org_id in orgs]

    @transaction.atomic
    def merge(self, other: "Organization", by=None) -> None:
        """Fold `other` into this organization: its names and signatures move here."""
        from .signons import SignOn

        if other.pk == self.pk:
            return
        OrganizationName.objects.filter(organization=other).update(organization=self)
        moved, duplicates = [], []
        for signon in SignOn.objects.select_for_update().filter(organization=other):
            clash = (
                signon.status == SignOn.Status.APPROVED
                and SignOn.objects.filter(
                    organization=self,
                    statement_id=signon.statement_id,
                    status=SignOn.Status.APPROVED,
                ).exists()
            )
            if clash:
                # The statement already counts this organization once: keep the row for
                # the record, but stop counting it twice.
                signon.status = SignOn.Status.DUPLICATE
                signon.count(-1)
                duplicates.append(signon.pk)
            signon.organization = self
            signon.list_key = signon.make_list_key()
            signon.save(update_fields=["organization", "status", "list_key"])
            moved.append(signon.pk)
        for code, name in other.name.items():
            self.name.setdefault(code, name)
        for field in ("country", "city", "website"):
            if not getattr(self, field):
                setattr(self, field, getattr(other, field))
        self.save()
        record.append(
            record.Entry.Action.MERGED,
            kept=self.pk,
            merged=other.pk,
            signatures=moved,
            duplicates=duplicates,
            by=getattr(by, "pk", None),
        )
        other.delete()


class OrganizationName(models.Model):
    """A spelling of an organization's name; its key makes the spelling unique."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name
