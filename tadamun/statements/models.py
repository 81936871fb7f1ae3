"""Coalitions, their statements, the published versions of each text, demands and strike days."""

import datetime
import unicodedata
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tadamun.canonical import canonical_json, sha256_hex
from tadamun.localization import format_date
from tadamun.multilingual import LanguageListField, TranslatedField, language_codes, pick
from tadamun.record import models as record

# Sent after a new version is published (with `version`), so that other apps can act on it
# (signatures asks earlier signatories to reconfirm) without this app knowing them.
version_published = Signal()


class ShownOnStatementPage:
    """For a model whose rows a statement's public page shows: saving or deleting one moves
    the statement's Tally generation, in the same transaction, so that no app server serves
    a page cached before the change."""

    def page_statement_id(self) -> int:
        return self.statement_id

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            Tally.touch(self.page_statement_id())

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            statement_id = self.page_statement_id()
            deleted = super().delete(*args, **kwargs)
            Tally.touch(statement_id)
        return deleted


class Coalition(models.Model):
    name = TranslatedField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = TranslatedField(_("description"), textarea=True, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["slug"]

    def __str__(self) -> str:
        return pick(self.name) or self.slug

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Its name is on the page of each of its statements.
            Tally.touch_all(self.statements.all())


class StatementQuerySet(models.QuerySet):
    def public(self):
        """Statements a reader may see: published at least once and not drafts."""
        return self.exclude(status=Statement.Status.DRAFT).filter(current_version__isnull=False)


def default_languages() -> list[str]:
    return language_codes()


class Statement(models.Model):
    class Kind(models.TextChoices):
        JOINT_STATEMENT = "joint", _("joint statement")
        CALL_TO_STRIKE = "strike", _("call to strike")
        OPEN_LETTER = "letter", _("open letter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for signing")
        CLOSED = "closed", _("closed")

    coalition = models.ForeignKey(
        Coalition, on_delete=models.PROTECT, related_name="statements", verbose_name=_("coalition")
    )
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.JOINT_STATEMENT)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    languages = LanguageListField(
        _("languages"),
        default=default_languages,
        help_text=_("The languages the text is published in."),
    )
    authoritative_language = models.CharField(
        _("authoritative language"),
        max_length=10,
        default="ar",
        help_text=_("The language whose text prevails; other pages name it."),
    )
    # The working copy organizers edit; readers only ever see a published Version.
    title = TranslatedField(_("title"), max_length=300)
    body = TranslatedField(_("body"), textarea=True)
    current_version = models.ForeignKey(
        "Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("current version"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    purged_at = models.DateTimeField(
        _("contact data deleted at"), null=True, blank=True, editable=False
    )
    reconfirmation_closed_at = models.DateTimeField(
        _("reconfirmation closed at"),
        null=True,
        blank=True,
        help_text=_("After this, signatories of earlier versions can no longer reconfirm."),
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return pick(self.title) or self.slug

    def clean(self):
        known = language_codes()
        if not isinstance(self.languages, list) or not self.languages:
            raise ValidationError({"languages": _("Give at least one language code.")})
        unknown = [code for code in self.languages if code not in known]
        if unknown:
            raise ValidationError(
                {"languages": _("Unknown language codes: %s") % ", ".join(map(str, unknown))}
            )
        if self.authoritative_language not in self.languages:
            raise ValidationError(
                {
                    "authoritative_language": _(
                        "The authoritative language must be one of its languages."
                    )
                }
            )

    def save(self, *args, **kwargs):
        # The retention period of signers' contact data runs from the closing.
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status != self.Status.CLOSED:
            self.closed_at = None
        before = (
            Statement.objects.filter(pk=self.pk)
            .values("status", "reconfirmation_closed_at", "current_version_id")
            .first()
            if self.pk
            else None
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.record_changes(before or {})
            Tally.touch(self.pk)

    def record_changes(self, before: dict) -> None:
        """Opening, closing and the end of reconfirmation change what readers see: each
        leaves an entry in the public record (a statement not yet published leaves none)."""
        if before.get("current_version_id") is None:
            return
        if before["status"] != self.status:
            record.append(record.Entry.Action.STATUS, self.slug, status=self.status)
        if bool(before["reconfirmation_closed_at"]) != bool(self.reconfirmation_closed_at):
            record.append(
                record.Entry.Action.RECONFIRMATION_CLOSED,
                self.slug,
                closed=bool(self.reconfirmation_closed_at),
            )

    def close_reconfirmation(self) -> bool:
        """Signatories of earlier versions can no longer move their signature to the current
        text. True if this call closed it."""
        with transaction.atomic():
            statement = Statement.objects.select_for_update().get(pk=self.pk)
            if statement.reconfirmation_closed_at:
                return False
            statement.reconfirmation_closed_at = timezone.now()
            statement.save()
        self.refresh_from_db()
        return True

    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT and self.current_version_id is not None

    def get_absolute_url(self) -> str:
        return reverse("statements:detail", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.current_version_id is not None

    def current_title(self, language: str | None = None) -> str:
        """The published title in the page's language (or the authoritative one)."""
        return self.current_version.text(self.page_language(language))["title"]

    def working_title(self, language: str | None = None) -> str:
        """The title of the working copy, which a draft has before any version exists."""
        return pick(self.title, language, [self.authoritative_language])

    def page_language(self, language: str | None = None) -> str:
        """The language whose text a page in `language` shows."""
        language = language or get_language()
        return language if language in self.languages else self.authoritative_language

    def canonical_content(self) -> dict:
        """The working copy in the canonical form a version's hash is computed over."""
        demands = list(self.demands.order_by("position", "pk"))
        return {
            "statement": self.slug,
            "texts": {
                code: {
                    "title": canonical_text(self.title.get(code, "")),
                    "body": canonical_text(self.body.get(code, "")),
                    "demands": [canonical_text(d.text.get(code, "")) for d in demands],
                }
                for code in sorted(self.languages)
            },
        }

    @transaction.atomic
    def publish(self) -> "Version":
        """Publish the working copy as the next version, unless it is the current text."""
        statement = Statement.objects.select_for_update().get(pk=self.pk)
        content = statement.canonical_content()
        digest = content_hash(content)
        latest = statement.versions.order_by("-number").first()
        if latest and latest.content_hash == digest:
            return latest
        version = Version.objects.create(
            statement=statement,
            number=(latest.number + 1) if latest else 1,
            content=content,
            content_hash=digest,
            demand_ids=list(
                statement.demands.order_by("position", "pk").values_list("pk", flat=True)
            ),
        )
        Statement.objects.filter(pk=self.pk).update(current_version=version)
        self.current_version = version
        record.append(
            record.Entry.Action.PUBLISHED,
            statement.slug,
            version=version.number,
            content_hash=version.content_hash,
        )
        version_published.send(sender=Statement, version=version)
        Tally.touch(statement.pk)
        return version


def canonical_text(text: str) -> str:
    # One text, one hash: the same words typed on another system (CRLF, decomposed
    # Arabic or accented letters, trailing spaces) must not count as a new version.
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def content_hash(content: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of `content`."""
    return sha256_hex(canonical_json(content))


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("A published version is never changed.")


class Version(models.Model):
    """A published text: frozen once written. A change is a new version."""

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="versions", verbose_name=_("statement")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    demand_ids = models.JSONField(_("demand IDs"), default=list)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["statement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.statement.slug} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A published version is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A published version is never deleted.")

    def verify(self) -> bool:
        return content_hash(self.content) == self.content_hash

    def text(self, language: str) -> dict:
        texts = self.content["texts"]
        return texts.get(language) or next(iter(texts.values()))


class Demand(ShownOnStatementPage, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PARTLY_MET = "partly_met", _("partly met")
        MET = "met", _("met")
        REFUSED = "refused", _("refused")
        OVERTAKEN = "overtaken", _("overtaken by events")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="demands", verbose_name=_("statement")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = TranslatedField(_("text"), textarea=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["statement", "position", "pk"]

    def __str__(self) -> str:
        return pick(self.text)[:80]

    def latest_update(self) -> "DemandUpdate | None":
        return self.updates.order_by("-date", "-pk").first()


def validate_sources(value: str) -> None:
    validator = URLValidator(schemes=["http", "https"])
    for line in value.splitlines():
        if line.strip():
            validator(line.strip())


class DemandUpdate(ShownOnStatementPage, models.Model):
    """A dated step in a demand's story: its new status, a note and the sources for it."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="updates", verbose_name=_("demand")
    )
    date = models.DateField(_("date"), default=datetime.date.today)
    status = models.CharField(_("status"), max_length=12, choices=Demand.Status)
    note = TranslatedField(_("note"), textarea=True)
    sources = models.TextField(
        _("sources"), blank=True, validators=[validate_sources], help_text=_("One link a line.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demand update")
        verbose_name_plural = _("demand updates")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{format_date(self.date)} {self.get_status_display()}"

    def page_statement_id(self) -> int:
        return self.demand.statement_id

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            # The demand's status is the status of its latest update.
            latest = self.demand.latest_update()
            Demand.objects.filter(pk=self.demand_id).update(status=latest.status)
            statement = self.demand.statement
            if statement.is_public():
                record.append(
                    record.Entry.Action.DEMAND_UPDATED,
                    statement.slug,
                    demand=self.demand_id,
                    update=self.pk,
                    date=self.date,
                    status=self.status,
                    content_hash=content_hash({"note": self.note, "sources": self.sources}),
                )

    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class Update(ShownOnStatementPage, models.Model):
    """News the coalition posts on a statement."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="updates")
    title = TranslatedField(_("title"), max_length=300)
    body = TranslatedField(_("text"), textarea=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("news update")
        verbose_name_plural = _("news updates")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return pick(self.title)

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.statement.is_public():
                record.append(
                    record.Entry.Action.NEWS,
                    self.statement.slug,
                    news=self.pk,
                    published_at=self.published_at,
                    content_hash=content_hash({"title": self.title, "body": self.body}),
                )

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            if self.statement.is_public():
                record.append(record.Entry.Action.NEWS_REMOVED, self.statement.slug, news=self.pk)
            result = super().delete(*args, **kwargs)
        return result


def validate_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(name)s is not a known time zone."), params={"name": name}
        ) from None


class StrikeDay(ShownOnStatementPage, models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="strike_days")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), default=datetime.time(0, 0))
    end_time = models.TimeField(
        _("end time"),
        default=datetime.time(23, 59),
        help_text=_("An end time at or before the start time means the next day."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Damascus", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("strike day")
        verbose_name_plural = _("strike days")
        ordering = ["statement", "date", "start_time"]

    def __str__(self) -> str:
        day = format_date(self.date)
        return f"{day} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.time_zone}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.statement.is_public():
                record.append(
                    record.Entry.Action.STRIKE_DAY,
                    self.statement.slug,
                    strike_day=self.pk,
                    starts_at=self.starts_at.isoformat(),
                    ends_at=self.ends_at.isoformat(),
                    time_zone=self.time_zone,
                )

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            if self.statement.is_public():
                record.append(
                    record.Entry.Action.STRIKE_DAY_REMOVED, self.statement.slug, strike_day=self.pk
                )
            result = super().delete(*args, **kwargs)
        return result

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=self.zone)

    @property
    def ends_at(self) -> datetime.datetime:
        end_date = self.date
        if self.end_time <= self.start_time:
            end_date += datetime.timedelta(days=1)
        return datetime.datetime.combine(end_date, self.end_time, tzinfo=self.zone)

    def phase(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "before"
        if now < self.ends_at:
            return "during"
        return "after"


class Tally(models.Model):
    """The public counts of a statement, moved in step with each approval and withdrawal in the
    same transaction, so that no page ever counts rows; and its last release of pledge
    figures, which moves only at scheduled times."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, related_name="tally", verbose_name=_("statement")
    )
    organizations = models.IntegerField(_("organizations"), default=0)
    organizations_named = models.IntegerField(_("organizations listed by name"), default=0)
    organizations_pausing = models.IntegerField(_("organizations pausing work"), default=0)
    # The pledge figures as last published (signatures/models/releases.py): every output
    # reads them here, none counts pledges.
    pledge_release = models.ForeignKey(
        "signatures.PledgeRelease",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published pledge figures"),
    )
    # Moves with every change a public page shows: cached pages are keyed by it, so every
    # app server sees a change at once, whatever cache it has.
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return str(self.statement)

    @classmethod
    def add(cls, statement_id: int, **deltas: int) -> None:
        """Move the counts by `deltas` and the generation by one: one write."""
        changes = {
            "generation": models.F("generation") + 1,
            **{field: models.F(field) + delta for field, delta in deltas.items() if delta},
        }
        if not cls.objects.filter(statement_id=statement_id).update(**changes):
            # A statement saved without Statement.save (a fixture) has no Tally yet.
            cls.objects.get_or_create(statement_id=statement_id)
            cls.objects.filter(statement_id=statement_id).update(**changes)

    @classmethod
    def touch(cls, statement_id: int) -> None:
        """Something a public page shows changed: pages cached before are not served again."""
        cls.add(statement_id)

    @classmethod
    def touch_all(cls, statements: models.QuerySet) -> None:
        """`touch` for each of `statements` (for what several pages show), in one write."""
        cls.objects.filter(statement__in=statements).update(generation=models.F("generation") + 1)


class Membership(models.Model):
    """What an organizer may do for a coalition. Superusers may do everything everywhere."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner: everything, including members and API tokens")
        EDITOR = "editor", _("editor: texts, demands, updates, strike days")
        MODERATOR = "moderator", _("moderator: sign-ons, organizations, imports")

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("coalition")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["user", "coalition"], name="one_role_per_coalition")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.coalition} · {self.role}"
