"""The tamper-evident record: an append-only, hash-chained log of what happened to a list."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


def entry_hash(previous_hash: str, content: dict) -> str:
    """SHA-256 of the previous entry's hash, a newline, and the canonical JSON of `content`."""
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}\n{data}".encode()).hexdigest()


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Record entries are never changed.")

    def delete(self):
        raise ValidationError("Record entries are never deleted.")


class Entry(models.Model):
    class Action(models.TextChoices):
        PUBLISHED = "published", _("text version published")
        APPROVED = "approved", _("sign-on approved")
        REJECTED = "rejected", _("sign-on rejected")
        WITHDRAWN = "withdrawn", _("sign-on withdrawn")
        RECONFIRMED = "reconfirmed", _("signature moved to a new version")
        MERGED = "merged", _("organizations merged")
        IMPORTED = "imported", _("sign-on imported")
        PURGED = "purged", _("contact data deleted after the retention period")
        DETAILS = "details", _("an organization's public details changed")

    sequence = models.PositiveBigIntegerField(unique=True)
    action = models.CharField(max_length=20, choices=Action)
    statement_slug = models.SlugField(blank=True, db_index=True)
    at = models.DateTimeField()
    # Public data only: never a contact name, an e-mail address or an IP address.
    data = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("record entries")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.statement_slug}"

    def content(self) -> dict:
        return {
            "sequence": self.sequence,
            "action": self.action,
            "statement": self.statement_slug,
            "at": self.at.isoformat(timespec="microseconds"),
            "data": self.data,
        }

    def public(self) -> dict:
        """The entry as published in the JSON Lines log."""
        return {**self.content(), "previous_hash": self.previous_hash, "hash": self.hash}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Record entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Record entries are never deleted.")


# Any constant works: it names the one lock that serialises writers of the chain.
CHAIN_LOCK = 7_146_525_112


def _lock_chain() -> None:
    """Serialise appends so two writers never chain onto the same entry.

    On SQLite the IMMEDIATE transaction already holds the only write lock; PostgreSQL needs
    a transaction-scoped advisory lock (a row lock would not see an entry added meanwhile).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def append(action: str, statement_slug: str = "", **data) -> Entry:
    """Add an entry at the end of the chain, in the caller's transaction."""
    with transaction.atomic():
        _lock_chain()
        last = Entry.objects.order_by("-sequence").first()
        entry = Entry(
            sequence=(last.sequence + 1) if last else 1,
            action=action,
            statement_slug=statement_slug,
            at=timezone.now(),
            data=json.loads(json.dumps(data, default=str)),
            previous_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry_hash(entry.previous_hash, entry.content())
        entry.save()
        return entry
