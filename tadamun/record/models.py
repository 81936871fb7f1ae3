"""The public record: an append-only log of what happened to each public list, kept as a
Merkle tree (RFC 9162) whose head the site signs at every change.

An entry never holds an organization's name. It holds a commitment to it, and the name with
the salt that opens the commitment sits beside the entry, in a Disclosure, for as long as the
organization wants to be named. Erasing a disclosure leaves the log and every checkpoint
intact. docs/record.md says how to verify all of it."""

import datetime
import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.canonical import canonical_json, sha256_hex

from . import checkpoints, merkle

# Sent by `verify_record` to gather the public lists it checks the record against; each
# receiver returns a list of documents (a statement's JSON export). The record knows no app.
public_lists = Signal()


def commitment(detail: dict, salt: str) -> str:
    """SHA-256 (hex) of the 32 salt bytes followed by the canonical JSON of `detail`."""
    return sha256_hex(bytes.fromhex(salt), canonical_json(detail))


class Immutable(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The record is never changed.")

    def delete(self):
        raise ValidationError("The record is never deleted.")


class Entry(models.Model):
    class Action(models.TextChoices):
        PUBLISHED = "published", _("text version published")
        APPROVED = "approved", _("sign-on approved")
        REJECTED = "rejected", _("sign-on rejected")
        WITHDRAWN = "withdrawn", _("sign-on withdrawn")
        REMOVED = "removed", _("sign-on removed by a moderator as not genuine")
        AMENDED = "amended", _("listing of a signature changed")
        RENAMED = "renamed", _("name of a listed signatory changed")
        FORGOTTEN = "forgotten", _("name erased from the public record")
        RECONFIRMED = "reconfirmed", _("signature moved to a new version")
        MERGED = "merged", _("organizations merged")
        IMPORTED = "imported", _("sign-on imported")
        PURGED = "purged", _("contact data deleted after the retention period")
        DETAILS = "details", _("an organization's public details changed")
        STATUS = "status", _("statement opened or closed")
        RECONFIRMATION_CLOSED = "reconfirmation_closed", _("reconfirmation closed")
        NEWS = "news", _("news posted or changed")
        NEWS_REMOVED = "news_removed", _("news removed")
        DEMAND_UPDATED = "demand_updated", _("demand status updated")
        STRIKE_DAY = "strike_day", _("strike day set or changed")
        STRIKE_DAY_REMOVED = "strike_day_removed", _("strike day removed")
        MOVED = "moved", _("statement moved to a new web address")
        SETTINGS = "settings", _("a statement's kind, coalition or languages changed")
        COALITION = "coalition", _("a coalition's name, description or website changed")
        DEMAND = "demand", _("a demand's text, place or status changed")
        DEMAND_REMOVED = "demand_removed", _("demand removed")
        DEMAND_UPDATE_REMOVED = "demand_update_removed", _("demand update removed")
        PLEDGE_CATEGORY = "pledge_category", _("pledge category added or changed")
        PLEDGE_CATEGORY_REMOVED = "pledge_category_removed", _("pledge category removed")

    sequence = models.PositiveBigIntegerField(_("number"), unique=True)
    action = models.CharField(_("action"), max_length=24, choices=Action)
    statement_slug = models.SlugField(_("statement"), blank=True, db_index=True)
    at = models.DateTimeField(_("when"))
    # Public facts only: never a name, a contact detail or an IP address. What identifies
    # an organization is committed to (data["commitment"]) and disclosed beside the entry.
    data = models.JSONField(_("what it says"), default=dict)
    # The Merkle leaf hash of the entry (hex): SHA-256(0x00 || canonical JSON of content()).
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = Immutable.as_manager()

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

    def leaf(self) -> bytes:
        return canonical_json(self.content())

    def public(self) -> dict:
        """The entry as published in the JSON Lines log, with its disclosure if it stands."""
        line = {**self.content(), "hash": self.hash}
        disclosure = getattr(self, "disclosure", None)
        if disclosure is not None:
            line["disclosed"] = {"detail": disclosure.detail, "salt": disclosure.salt}
        return line

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Record entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Record entries are never deleted.")


class Disclosure(models.Model):
    """What an entry commits to (an organization and its name), with the salt that opens the
    commitment. Shown while the signatory stands; erased, not the entry, when it is forgotten."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="disclosure")
    # The signature the detail names (its number on the public list, not the record's
    # number for it), so that forgetting it finds every disclosure.
    signature = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    detail = models.JSONField()
    salt = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")

    def __str__(self) -> str:
        return f"disclosure of #{self.entry.sequence}"


class Checkpoint(models.Model):
    """A signed head of the record. Witnesses keep these and ask later for proof that the log
    they vouch for was only appended to."""

    tree_size = models.PositiveBigIntegerField(_("entries"), db_index=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), db_index=True)
    # The roots of the perfect subtrees of the tree (hex), so the next entry is signed
    # without reading the whole log.
    frontier = models.JSONField(default=list)
    note = models.TextField(_("signed note"))

    objects = Immutable.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.tree_size} @ {self.signed_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Checkpoints are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Checkpoints are never deleted.")

    @classmethod
    def latest(cls) -> "Checkpoint | None":
        return cls.objects.order_by("-pk").first()


def origin() -> str:
    return settings.RECORD_ORIGIN


def verifier_key() -> str:
    """The site's public key, as a witness pins it."""
    return checkpoints.verifier_key(origin(), checkpoints.public_key(settings.RECORD_SIGNING_KEY))


# Any constant works: it names the one lock that serialises writers of the record.
CHAIN_LOCK = 7_146_525_112


def _lock_chain() -> None:
    """Serialise appends so that two writers never take the same sequence number.

    On SQLite the IMMEDIATE transaction already holds the only write lock; PostgreSQL needs
    a transaction-scoped advisory lock (a row lock would not see an entry added meanwhile).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _frontier(size: int, leaf: bytes | None = None) -> list[bytes]:
    """The frontier of the tree of `size` entries; `leaf` is the hash of the last of them when
    it was just added (the previous checkpoint then gives the rest)."""
    last = Checkpoint.latest()
    if leaf is not None and last and last.tree_size == size - 1:
        return merkle.extend([bytes.fromhex(h) for h in last.frontier], size - 1, leaf)
    if leaf is None and last and last.tree_size == size:
        return [bytes.fromhex(h) for h in last.frontier]
    hashes = Entry.objects.order_by("sequence").values_list("hash", flat=True)
    return merkle.frontier_of([bytes.fromhex(h) for h in hashes.iterator(chunk_size=5000)])


def _sign(size: int, frontier: list[bytes]) -> Checkpoint:
    root = merkle.frontier_root(frontier)
    now = timezone.now().replace(microsecond=0)
    return Checkpoint.objects.create(
        tree_size=size,
        root_hash=root.hex(),
        signed_at=now,
        frontier=[h.hex() for h in frontier],
        note=checkpoints.sign(origin(), size, root, now, settings.RECORD_SIGNING_KEY),
    )


def sign_head() -> Checkpoint:
    """Sign the head as it stands (the hourly checkpoint: it shows the log is still vouched
    for, even when nothing happened)."""
    with transaction.atomic():
        _lock_chain()
        last = Entry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        size = last or 0
        return _sign(size, _frontier(size))


def sign_head_if_due() -> Checkpoint | None:
    """Sign the head unless a checkpoint was signed within RECORD_CHECKPOINT_MINUTES."""
    last = Checkpoint.latest()
    age = settings.RECORD_CHECKPOINT_MINUTES * 60
    if last and (timezone.now() - last.signed_at).total_seconds() < age - 60:
        return None
    return sign_head()


def today() -> datetime.datetime:
    """The time an entry carries: the start of its day (UTC). The order of entries is all a
    verifier needs; times to the microsecond would let anyone tie a signature counted
    without its name to the named one approved or renamed in the same instant."""
    return (
        timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    )


def append(action: str, statement_slug: str = "", *, detail: dict | None = None, **data) -> Entry:
    """Add an entry at the end of the record and sign the new head, in the caller's
    transaction. `detail` (what identifies an organization) is committed to, not written."""
    with transaction.atomic():
        _lock_chain()
        last = Entry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        data = json.loads(json.dumps(data, default=str))
        salt = None
        if detail is not None:
            detail = json.loads(json.dumps(detail, default=str))
            salt = secrets.token_hex(32)
            data["commitment"] = commitment(detail, salt)
        entry = Entry(
            sequence=(last or 0) + 1,
            action=action,
            statement_slug=statement_slug,
            at=today(),
            data=data,
        )
        leaf = merkle.leaf_hash(entry.leaf())
        entry.hash = leaf.hex()
        entry.save()
        if detail is not None:
            # The detail names the signature by its number on the public list: forgetting
            # finds the disclosures by it.
            Disclosure.objects.create(
                entry=entry, signature=detail.get("signature"), detail=detail, salt=salt
            )
        _sign(entry.sequence, _frontier(entry.sequence, leaf))
        return entry


def forget(signature: int, statement_slug: str, reference: int) -> Entry | None:
    """Erase every disclosure that names `signature` (a sign-on's row number), and say so in
    the record, where the signature is `reference`. The entries stay, so the log and every
    checkpoint still verify; the name is in no output any more."""
    with transaction.atomic():
        disclosures = Disclosure.objects.filter(signature=signature)
        sequences = sorted(disclosures.values_list("entry__sequence", flat=True))
        if not sequences:
            return None
        disclosures.delete()
        return append(
            Entry.Action.FORGOTTEN, statement_slug, signature=reference, entries=sequences
        )


def disclosed(signature: int) -> dict | None:
    """The detail last disclosed for `signature` (what the public record names it as)."""
    found = Disclosure.objects.filter(signature=signature).order_by("-entry__sequence").first()
    return found.detail if found else None
