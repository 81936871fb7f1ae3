"""Long work from the desk: importing a signatory list and sending the strike-day notice, each
with a page that shows how far it has gone and what came of it, whenever it is reloaded."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tadamun.audit import models as audit
from tadamun.signatures.models import Notice
from tadamun.statements.roles import CONTENT, EVERYONE, MODERATION

from ..access import may, organizer_required, statement_or_404
from ..forms import ImportForm, NoticeForm
from ..models import ImportJob

# A page showing work under way reloads itself this often (seconds): no script needed.
REFRESH = 3
STARTED = (ImportJob.State.RUNNING, ImportJob.State.DONE)


@organizer_required
@require_http_methods(["GET", "POST"])
def import_list(request, pk: int):
    """Paste names or upload a CSV file; the check comes next, on the job's own page."""
    statement = statement_or_404(request.user, pk, MODERATION)
    initial = {}
    earlier = ImportJob.objects.filter(statement=statement)
    again = request.GET.get("again", "")
    if again.isdigit():
        job = earlier.filter(pk=again).first()
        if job:
            initial = {
                # One name a row: a file's other languages are not brought back.
                "names": "\n".join(next(iter(row["names"].values())) for row in job.rows),
                "country": job.country,
                "pauses_work": job.pauses_work,
            }
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        job = ImportJob.objects.create(
            statement=statement,
            rows=form.cleaned_data["rows"],
            country=form.cleaned_data["country"].strip(),
            pauses_work=form.cleaned_data["pauses_work"],
            created_by=request.user,
        )
        job.begin_check()
        return redirect("desk:import_job", job.pk)
    return render(
        request,
        "desk/import.html",
        {
            "statement": statement,
            "title": statement.working_title(),
            "form": form,
            "earlier": earlier.filter(state__in=STARTED)[:5],
            "strike": statement.strike_days.exists(),
        },
        status=400 if form.errors else 200,
    )


def job_or_404(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("statement"), pk=pk)
    # Another coalition's import answers 404, as if it did not exist.
    statement_or_404(request.user, job.statement_id, MODERATION)
    return job


@organizer_required
def import_job(request, pk: int):
    """The check before importing, then the progress, then the result."""
    job = job_or_404(request, pk)
    return render(
        request,
        "desk/import_job.html",
        {
            "job": job,
            "statement": job.statement,
            "title": job.statement.working_title(),
            "flagged": job.flagged(),
            "refresh": REFRESH if job.state in (job.State.CHECKING, job.State.RUNNING) else None,
            "percent": round(100 * job.done / job.total) if job.total else 100,
        },
    )


@organizer_required
@require_POST
def import_confirm(request, pk: int):
    job = job_or_404(request, pk)
    if "discard" in request.POST:
        if job.state in (ImportJob.State.CHECKING, ImportJob.State.PREVIEW):
            job.delete()
            messages.success(request, _("The list was discarded; nothing was imported."))
        return redirect("desk:import", job.statement_id)
    job.start()
    return redirect("desk:import_job", job.pk)


@organizer_required
@require_http_methods(["GET", "POST"])
def notices(request, pk: int):
    """Write the strike-day notice and send it; earlier notices and how they went."""
    statement = statement_or_404(request.user, pk, EVERYONE)
    # Every role follows the notices; owners and editors, who run the strike day, send them.
    may_send = may(request.user, statement.coalition_id, CONTENT)
    form = NoticeForm(request.POST if request.method == "POST" else None, statement=statement)
    error = None
    if request.method == "POST":
        if not may_send:
            raise PermissionDenied
        if form.is_valid():
            try:
                notice = Notice.send_strike(statement, form.message(), by=request.user)
            except ValueError as problem:
                error = str(problem)
            else:
                audit.log(request.user, "sent the strike-day notice", notice)
                return redirect("desk:notice", notice.pk)
    sent = Notice.objects.filter(statement=statement, kind=Notice.Kind.STRIKE)
    probe = Notice(statement=statement, kind=Notice.Kind.STRIKE)
    return render(
        request,
        "desk/notices.html",
        {
            "statement": statement,
            "title": statement.working_title(),
            "form": form,
            "error": error,
            "may_send": may_send,
            "strike_days": list(statement.strike_days.all()),
            "recipients": probe.recipients(),
            "running": sent.filter(finished_at__isnull=True).first(),
            "sent": [(notice, notice.progress()) for notice in sent[:10]],
            "language": get_language(),
        },
        status=400 if error or form.errors else 200,
    )


@organizer_required
def notice(request, pk: int):
    """How far a notice has gone: it reloads itself while sending, and shows the same after."""
    found = get_object_or_404(
        Notice.objects.select_related("statement"), pk=pk, kind=Notice.Kind.STRIKE
    )
    statement_or_404(request.user, found.statement_id, EVERYONE)
    progress = found.progress()
    total = progress["total"]
    gone = (
        progress["sent"] + progress["skipped"] + (progress["failed"] if progress["finished"] else 0)
    )
    return render(
        request,
        "desk/notice.html",
        {
            "notice": found,
            "statement": found.statement,
            "title": found.statement.working_title(),
            "progress": progress,
            "percent": round(100 * gone / total) if total else 100,
            "refresh": None if progress["finished"] else REFRESH,
        },
    )
