"""The statement side of the desk: coalitions, writing and publishing a statement, its demands,
strike days and updates, and the statement's own page with what to copy for other sites."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tadamun.audit import models as audit
from tadamun.public import page as public_page
from tadamun.public.counts import counts
from tadamun.signatures.models import SignOn
from tadamun.statements.diff import version_diff
from tadamun.statements.models import (
    DemandUpdate,
    Membership,
    Statement,
    StrikeDay,
    Update,
    Version,
    content_hash,
)
from tadamun.statements.roles import CONTENT, EVERYONE, MODERATION, coalition_ids

from ..access import coalition_or_404, may, organizer_required, statement_or_404
from ..forms import (
    CoalitionForm,
    DemandUpdateForm,
    NewsForm,
    StatementForm,
    StrikeDayForm,
    demand_formset,
    language_name,
    zone_name,
)


def may_edit(user, statement: Statement) -> bool:
    """Owners and editors change a statement's texts, demands, strike days and updates."""
    return user.is_superuser or statement.coalition_id in coalition_ids(user, CONTENT)


def for_statement(edit: bool):
    """The view gets the statement instead of its number: 404 for another coalition's, and
    for a moderator a page saying they may read it but not change it."""

    def decorator(view):
        @organizer_required
        @never_cache
        @functools.wraps(view)
        def wrapped(request, pk: int, *args, **kwargs):
            statement = statement_or_404(request.user, pk, EVERYONE)
            if edit and not may_edit(request.user, statement):
                return render(request, "desk/read_only.html", {"statement": statement}, status=403)
            return view(request, statement, *args, **kwargs)

        return wrapped

    return decorator


def working_version(statement: Statement) -> Version:
    """The working copy as the next version would be: not saved, for the preview and the
    comparison before publishing."""
    latest = statement.versions.aggregate(number=Max("number"))["number"] or 0
    return Version(
        statement=statement,
        number=latest + 1,
        content=statement.canonical_content(),
        demand_ids=list(statement.demands.order_by("position", "pk").values_list("pk", flat=True)),
        published_at=timezone.now(),
    )


def has_unpublished_changes(statement: Statement) -> bool:
    current = statement.current_version
    return current is None or current.content_hash != content_hash(statement.canonical_content())


# Coalitions ---------------------------------------------------------------------------------


@organizer_required
@never_cache
def coalition_new(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = CoalitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            coalition = form.save()
            Membership.objects.create(
                user=request.user, coalition=coalition, role=Membership.Role.OWNER
            )
            audit.log(request.user, "created coalition", coalition)
        messages.success(
            request,
            _("The coalition “%(name)s” is created, and you are its owner.") % {"name": coalition},
        )
        return redirect(reverse("desk:home") + f"#coalition-{coalition.pk}")
    return render(request, "desk/coalition_form.html", {"form": form})


# Writing and publishing -----------------------------------------------------------------------


def write(request, statement: Statement, template_context: dict):
    """The text, its languages and its demands on one page; saved together or not at all."""
    is_new = statement.pk is None
    form = StatementForm(request.POST or None, instance=statement)
    languages = statement.languages if not is_new else [code for code, _n in settings.LANGUAGES]
    if request.method == "POST":
        form_ok = form.is_valid()
        # Demands are needed in each language ticked on this same form.
        languages = form.cleaned_data.get("languages") or []
        demands = demand_formset(statement, request.POST, languages)
        if form_ok and demands.is_valid():
            with transaction.atomic():
                statement = form.save()
                demands.statement = statement
                demands.save()
                audit.log(request.user, "created statement" if is_new else "edited", statement)
            messages.success(request, _("The working copy is saved. Readers do not see it yet."))
            then = request.POST.get("then")
            if then == "preview":
                return redirect("desk:statement_preview", statement.pk)
            if then == "more":
                return redirect(reverse("desk:statement_edit", args=[statement.pk]) + "#demands")
            return redirect("desk:statement", statement.pk)
    else:
        demands = demand_formset(statement, languages=languages)
    return render(
        request,
        "desk/statement_form.html",
        {**template_context, "form": form, "demands": demands, "statement": statement},
    )


@organizer_required
@never_cache
def statement_new(request, coalition: int):
    coalition = coalition_or_404(request.user, coalition, EVERYONE)
    if not request.user.is_superuser and coalition.pk not in coalition_ids(request.user, CONTENT):
        return render(request, "desk/read_only.html", {"coalition": coalition}, status=403)
    statement = Statement(coalition=coalition)
    return write(request, statement, {"coalition": coalition, "is_new": True})


@for_statement(edit=True)
def statement_edit(request, statement: Statement):
    return write(request, statement, {"coalition": statement.coalition, "is_new": False})


@for_statement(edit=False)
def statement_preview(request, statement: Statement):
    """The public page as readers will see it once the working copy is published."""
    version = working_version(statement)
    context = public_page.context(
        statement,
        translation.get_language(),
        request.GET.get("q", "")[:100],
        request.GET.get("page"),
        version=version,
        path=request.path,
    )
    current = statement.current_version
    context.update(
        {
            "preview": True,
            "may_edit": may_edit(request.user, statement),
            "changed": current is None or current.content_hash != content_hash(version.content),
            "first": current is None,
            "expected": content_hash(version.content),
            "other_languages": [
                {"code": code, "url": translate_url(request.path, code)}
                for code, _name in settings.LANGUAGES
                if code != translation.get_language()
            ],
        }
    )
    return render(request, "desk/preview.html", context)


@for_statement(edit=True)
def statement_publish(request, statement: Statement):
    """Publishing a new text: first the difference with the published one, and a warning
    that signatories will be asked to reconfirm; publishing needs the text that was shown."""
    version = working_version(statement)
    expected = content_hash(version.content)
    current = statement.current_version
    if current is not None and current.content_hash == expected:
        messages.info(request, _("The working copy is the published text: nothing to publish."))
        return redirect("desk:statement", statement.pk)
    if request.method == "POST":
        if request.POST.get("expected") != expected:
            messages.error(
                request,
                _(
                    "The text changed since you looked at it (perhaps a colleague edited it). "
                    "Here is the text as it is now: look again before publishing."
                ),
            )
        else:
            published = statement.publish()
            if "open" in request.POST and statement.status == Statement.Status.DRAFT:
                statement.status = Statement.Status.OPEN
                statement.save(update_fields=["status", "closed_at"])
            audit.log(request.user, "published version", statement, version=published.number)
            if published.number > 1:
                text = _(
                    "Version %(number)d is published. Organizations that signed an earlier "
                    "version are being asked by e-mail to confirm their signature."
                )
            elif statement.status == Statement.Status.OPEN:
                text = _("Version %(number)d is published and open for signing.")
            else:
                text = _(
                    "Version %(number)d is published. Readers see it once you open the "
                    "statement for signing."
                )
            messages.success(request, text % {"number": published.number})
            return redirect("desk:statement", statement.pk)
    comparisons = []
    if current is not None:
        codes = sorted(
            set(statement.languages) | set(current.content["texts"]),
            key=lambda code: code != translation.get_language(),
        )
        comparisons = [
            {
                "code": code,
                "name": language_name(code),
                "rtl": translation.get_language_info(code)["bidi"],
                "diff": version_diff(current, version, code),
                "unchanged": current.text(code) == version.text(code),
            }
            for code in codes
        ]
    # Who the reconfirmation request reaches: approved signatories with an address kept.
    signed = SignOn.objects.public().filter(statement=statement)
    signatories = signed.exclude(contact_email="").count()
    unreachable = signed.filter(contact_email="").count()
    return render(
        request,
        "desk/publish.html",
        {
            "statement": statement,
            "version": version,
            "current": current,
            "comparisons": comparisons,
            "signatories": signatories,
            "unreachable": unreachable,
            "expected": expected,
        },
    )


@require_POST
@for_statement(edit=True)
def statement_status(request, statement: Statement):
    """Open for signing, close, or reopen."""
    wanted = request.POST.get("status")
    if wanted == Statement.Status.OPEN and statement.current_version_id is None:
        messages.error(request, _("Publish the text before opening it for signing."))
    elif wanted in (Statement.Status.OPEN, Statement.Status.CLOSED) and wanted != statement.status:
        statement.status = wanted
        statement.save(update_fields=["status", "closed_at"])
        audit.log(request.user, "changed status", statement, status=wanted)
        messages.success(
            request,
            _("The statement is open for signing.")
            if wanted == Statement.Status.OPEN
            else _("The statement is closed: it stays public, and nobody can sign it any more."),
        )
    return redirect("desk:statement", statement.pk)


# The statement's page ---------------------------------------------------------------------------


def moderation_url(statement: Statement) -> str | None:
    """The moderation desk, if this installation has it (it is built beside this one)."""
    for args in ([statement.pk], []):
        try:
            return reverse("desk:moderation", args=args)
        except NoReverseMatch:
            continue
    return None


def embed_codes(statement: Statement) -> list[dict]:
    """What another site pastes to show the statement's card and badge, in each language."""
    codes = []
    for code in statement.languages:
        with translation.override(code):
            page = settings.SITE_URL + reverse("statements:detail", args=[statement.slug])
            card = settings.SITE_URL + reverse("statements:card", args=[statement.slug])
            badge = settings.SITE_URL + reverse("statements:badge", args=[statement.slug])
            title = statement.current_title(code)
        codes.append(
            {
                "code": code,
                "name": language_name(code),
                "card": f'<iframe src="{card}" title="{escape(title)}" width="320" '
                f'height="180" loading="lazy"></iframe>',
                "badge": f'<a href="{page}"><img src="{badge}" alt="{escape(title)}" '
                f'width="260" height="28"></a>',
            }
        )
    return codes


@for_statement(edit=False)
def statement_page(request, statement: Statement):
    public = statement.current_version_id is not None and statement.status != "draft"
    pausing = (
        SignOn.objects.public()
        .filter(statement=statement, pauses_work=True)
        .select_related("organization")
        .order_by("list_key", "pk")
    )
    # Moderators and owners moderate and import; an editor is not sent to pages that refuse.
    may_moderate = may(request.user, statement.coalition_id, MODERATION)
    return render(
        request,
        "desk/statement.html",
        {
            "statement": statement,
            "may_edit": may_edit(request.user, statement),
            "may_moderate": may_moderate,
            "public": public,
            "versions": statement.versions.order_by("-number")[:5],
            "changed": has_unpublished_changes(statement),
            "pending": SignOn.objects.filter(
                statement=statement, status=SignOn.Status.PENDING
            ).count(),
            "moderation_url": moderation_url(statement) if may_moderate else None,
            "counts": counts(statement),
            "demands": statement.demands.order_by("position", "pk"),
            "strike_days": [
                {"day": day, "zone": zone_name(day.time_zone)}
                for day in statement.strike_days.all()
            ],
            "pausing": pausing[:100],
            "pausing_count": pausing.count(),
            "news": statement.updates.all()[:5],
            "embeds": embed_codes(statement) if public else [],
        },
    )


# Strike days, demands' updates, news ----------------------------------------------------------


@for_statement(edit=True)
def strike_day(request, statement: Statement, day: int | None = None):
    instance = (
        get_object_or_404(StrikeDay, pk=day, statement=statement)
        if day
        else StrikeDay(statement=statement)
    )
    form = StrikeDayForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit.log(request.user, "saved strike day", saved)
        messages.success(
            request,
            _("The strike day is saved.") if day else _("The strike day is added."),
        )
        return redirect(reverse("desk:statement", args=[statement.pk]) + "#strike-days")
    return render(
        request,
        "desk/strike_day_form.html",
        {"statement": statement, "form": form, "day": instance if day else None},
    )


@require_POST
@for_statement(edit=True)
def strike_day_remove(request, statement: Statement, day: int):
    instance = get_object_or_404(StrikeDay, pk=day, statement=statement)
    audit.log(request.user, "removed strike day", instance, date=str(instance.date))
    instance.delete()
    messages.success(request, _("The strike day is removed."))
    return redirect(reverse("desk:statement", args=[statement.pk]) + "#strike-days")


@for_statement(edit=True)
def demand_update(request, statement: Statement, demand: int):
    demand = get_object_or_404(statement.demands, pk=demand)
    form = DemandUpdateForm(
        request.POST or None,
        instance=DemandUpdate(demand=demand),
        initial={"status": demand.status},
    )
    if request.method == "POST" and form.is_valid():
        update = form.save()
        audit.log(request.user, "changed demand status", demand, status=update.status)
        messages.success(
            request,
            _("The update is posted. The demand’s status is now “%(status)s”.")
            % {"status": update.get_status_display()},
        )
        return redirect(reverse("desk:statement", args=[statement.pk]) + f"#demand-{demand.pk}")
    return render(
        request,
        "desk/demand_update_form.html",
        {
            "statement": statement,
            "demand": demand,
            "form": form,
            "updates": demand.updates.all()[:10],
        },
    )


@for_statement(edit=True)
def news_new(request, statement: Statement):
    form = NewsForm(request.POST or None, instance=Update(statement=statement))
    if request.method == "POST" and form.is_valid():
        update = form.save()
        audit.log(request.user, "posted update", update)
        messages.success(request, _("The update is posted on the statement’s timeline."))
        return redirect(reverse("desk:statement", args=[statement.pk]) + "#news")
    return render(request, "desk/news_form.html", {"statement": statement, "form": form})
