"""Sign-on pages: the form, the confirmation and withdrawal links, and resending."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tadamun.statements.models import Statement

from .. import addresses, tokens
from ..forms import SignOnForm
from ..limits import limited
from ..models import Pledge, SignOn


def open_statement(slug: str) -> Statement:
    return get_object_or_404(
        Statement.objects.public().select_related("current_version"),
        slug=slug,
    )


def statement_title(statement: Statement) -> str:
    return statement.current_version.text(statement.page_language())["title"]


@never_cache
@require_http_methods(["GET", "POST"])
@limited("form", email_field="contact_email")
def signon(request, slug: str):
    statement = open_statement(slug)
    context = {"statement": statement, "title": statement_title(statement)}
    if not statement.is_open:
        return render(request, "signatures/closed.html", context, status=410)
    form = SignOnForm(request.POST or None, statement=statement)
    if request.method == "POST" and form.is_spam():
        return redirect("signatures:signon_sent", slug=statement.slug)
    if request.method == "POST" and form.is_valid():
        SignOn.submit(statement, form.cleaned_data, get_language())
        # The same answer whether or not this organization has signed before: whoever
        # submits learns nothing about other signatures.
        return redirect("signatures:signon_sent", slug=statement.slug)
    status = 400 if form.errors else 200
    return render(request, "signatures/signon_form.html", {**context, "form": form}, status=status)


def signon_sent(request, slug: str):
    statement = open_statement(slug)
    return render(
        request,
        "signatures/sent.html",
        {
            "statement": statement,
            "title": statement_title(statement),
            "hours": settings.CONFIRMATION_HOURS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@limited("resend", email_field="email")
def resend(request, slug: str):
    """Send the confirmation link again. The answer never says whether the address is known."""
    statement = open_statement(slug)
    context = {"statement": statement, "title": statement_title(statement)}
    if request.method == "POST":
        email = request.POST.get("email", "").strip()[:254]
        if email and "@" in email:
            for signon in SignOn.objects.filter(
                statement=statement, contact_email__iexact=email, status=SignOn.Status.UNCONFIRMED
            )[:5]:
                signon.resend()
            fingerprint = addresses.fingerprint(email)
            for pledge in Pledge.objects.filter(
                statement=statement, email_hash=fingerprint, status=Pledge.Status.UNCONFIRMED
            )[:5]:
                pledge.resend()
            return render(request, "signatures/resent.html", context)
        context["error"] = _("Please enter the e-mail address you gave in the form.")
        return render(request, "signatures/resend.html", context, status=400)
    return render(request, "signatures/resend.html", context)


def link_problem(request, error: tokens.Invalid, kind: str):
    expired = isinstance(error, tokens.Expired)
    return render(
        request,
        "signatures/link_problem.html",
        {"expired": expired, "kind": kind},
        status=410 if expired else 404,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@limited("link")
def confirm(request, token: str):
    """GET shows a button; only the POST confirms, so mail scanners that open links
    cannot confirm on a person's behalf."""
    try:
        signon = SignOn.from_token(token, "signon-confirm")
    except tokens.Invalid as error:
        return link_problem(request, error, "confirm")
    context = {
        "signon": signon,
        "statement": signon.statement,
        "title": statement_title(signon.statement),
        "token": token,
    }
    if signon.status != SignOn.Status.UNCONFIRMED:
        return render(request, "signatures/confirmed.html", {**context, "again": True})
    if request.method == "POST":
        signon.confirm()
        return render(request, "signatures/confirmed.html", context)
    return render(request, "signatures/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@limited("link")
def withdraw(request, token: str):
    try:
        signon = SignOn.from_token(token, "signon-withdraw")
    except tokens.Invalid as error:
        return link_problem(request, error, "withdraw")
    context = {
        "signon": signon,
        "statement": signon.statement,
        "title": statement_title(signon.statement),
        "token": token,
    }
    if signon.status in (SignOn.Status.WITHDRAWN, SignOn.Status.REJECTED, SignOn.Status.DUPLICATE):
        return render(request, "signatures/withdrawn.html", {**context, "again": True})
    if request.method == "POST":
        signon.withdraw()
        return render(request, "signatures/withdrawn.html", context)
    return render(request, "signatures/withdraw.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@limited("link")
def reconfirm(request, token: str):
    """A signatory of an earlier version signs the current text (GET shows it, POST signs)."""
    try:
        signon = SignOn.from_token(token, "signon-reconfirm")
    except tokens.Invalid as error:
        return link_problem(request, error, "reconfirm")
    statement = signon.statement
    context = {
        "signon": signon,
        "statement": statement,
        "title": statement_title(statement),
        "signed": signon.version,
        "current": statement.current_version,
    }
    if signon.status != SignOn.Status.APPROVED or signon.signed_current_version():
        return render(request, "signatures/reconfirmed.html", {**context, "again": True})
    if statement.reconfirmation_closed_at:
        return render(request, "signatures/reconfirm_closed.html", context, status=410)
    if request.method == "POST":
        signon.reconfirm()
        return render(request, "signatures/reconfirmed.html", context)
    return render(request, "signatures/reconfirm.html", context)
