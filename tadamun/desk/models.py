"""Long work started from the desk that outlives a request: an import of a signatory list."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.audit import models as audit
from tadamun.signatures import imports
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Organization
from tadamun.statements.models import Statement

from .tasks import check_import, run_import


class ImportJob(models.Model):
    """A list of signatories for a statement: checked first, then imported in batches (both by
    the worker when the list is long), its progress kept here so that any page load can
    show it."""

    class State(models.TextChoices):
        CHECKING = "checking", _("being checked")
        PREVIEW = "preview", _("checked, waiting for confirmation")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    # Rows as signatures.imports makes them ({"names": {language: name}, "country": …}):
    # organizations' public names, never contact data.
    rows = models.JSONField(default=list)
    # What the check found for each row (signatures.imports.preview), kept from the check.
    flags = models.JSONField(default=list)
    country = models.CharField(_("country"), max_length=100, blank=True)
    pauses_work = models.BooleanField(_("they pause work on the strike day"), default=False)
    state = models.CharField(max_length=10, choices=State, default=State.CHECKING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)  # names gone through
    added = models.PositiveIntegerField(default=0)  # sign-ons they made

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import #{self.pk} · {self.statement.slug}"

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def skipped(self) -> int:
        return self.done - self.added

    def flagged(self) -> list[dict]:
        return [row for row in self.flags if row_flagged(row)]

    @property
    def in_background(self) -> bool:
        return self.total > settings.IMPORT_INLINE_NAMES

    def begin_check(self) -> None:
        """Compare the list with the coalition's organizations: now when it is short, else in
        the background (every name is compared with every other, so a long list takes
        minutes)."""
        if self.in_background:
            check_import.enqueue(self.pk)
        else:
            self.run_check()
        self.refresh_from_db()

    def run_check(self) -> None:
        job = ImportJob.objects.select_related("statement").get(pk=self.pk)
        if job.state != self.State.CHECKING:
            return
        # Only this coalition's organizations: another coalition's signatories, named or
        # counted, are not this coalition's moderators' to see.
        among = Organization.objects.signed_with(job.statement.coalition_id)
        languages = imports.languages_of(job.rows, job.statement.languages)
        flags = imports.preview(job.rows, languages, among)
        ImportJob.objects.filter(pk=self.pk, state=self.State.CHECKING).update(
            flags=flags, state=self.State.PREVIEW
        )

    def start(self) -> None:
        """Import now when the list is short, else in the background."""
        with transaction.atomic():
            started = ImportJob.objects.filter(pk=self.pk, state=self.State.PREVIEW).update(
                state=self.State.RUNNING, started_at=timezone.now()
            )
            if started and self.in_background:
                run_import.enqueue(self.pk)
        if started and not self.in_background:
            while self.run_batch(settings.IMPORT_BATCH):
                pass
        self.refresh_from_db()

    def run_batch(self, size: int) -> bool:
        """Import the next `size` names; True while more remain. The batch, its progress and
        (in the background) the task for the next batch commit together, so that a worker
        dying at any point neither loses a batch nor imports one twice."""
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().select_related("statement").get(pk=self.pk)
            if job.state != self.State.RUNNING:
                return False
            chunk = job.rows[job.done : job.done + size]
            created = import_signatories(
                job.statement,
                chunk,
                country=job.country,
                pauses_work=job.pauses_work,
                by=job.created_by,
            )
            job.done += len(chunk)
            job.added += len(created)
            if job.done >= job.total:
                job.state = self.State.DONE
                job.finished_at = timezone.now()
                audit.log(
                    job.created_by,
                    "imported signatories",
                    job.statement,
                    count=job.added,
                    skipped=job.skipped,
                )
            elif self.in_background:
                run_import.enqueue(job.pk)
            job.save()
        return job.state == self.State.RUNNING


def row_flagged(row: dict) -> bool:
    """Whether a checked name needs a look: known, repeated or like another name."""
    return bool(row["known"] or row["repeated"] or row["similar"] or row["similar_in_list"])
