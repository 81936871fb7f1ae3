"""The public forms that submit something to a statement (an organization's sign-on, an
individual's pledge), and the "check your e-mail" page after them."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tadamun.public.statements import public_statement

from ..limits import limited

# The sign-ons sent from this browser, in a signed cookie: only a browser that sent a form
# before is told that the same form was already received, so that nobody learns from the
# answer whether someone else submitted an organization and address.
SENT_COOKIE = "tadamun_sent"
SENT_SALT = "tadamun.signatures.sent"


def sent_here(request) -> list[int]:
    value = request.get_signed_cookie(SENT_COOKIE, default=None, salt=SENT_SALT)
    try:
        return [int(pk) for pk in (value or "").split(",") if pk][-20:]
    except ValueError:
        return []


def answer(request, submitted, sent: str, statement):
    """The redirect after an accepted post: what the submission did, told only to the
    browser that made the first one."""
    url = reverse(sent, kwargs={"slug": statement.slug})
    outcome = getattr(submitted, "outcome", None)  # only sign-ons tell it
    if outcome is None:
        return redirect(url)
    mine = sent_here(request)
    if outcome != "new" and submitted.pk in mine:
        url += f"?again={outcome}"
    response = redirect(url)
    if outcome == "new":
        response.set_signed_cookie(
            SENT_COOKIE,
            ",".join(str(pk) for pk in [*mine, submitted.pk][-20:]),
            salt=SENT_SALT,
            max_age=settings.CONFIRMATION_HOURS * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def form_page(form_class, model, template: str, sent: str, email_field: str):
    """A form view: it validates on the server, stores with `model.submit`, and answers every
    accepted post the same way, whatever was signed before."""

    @never_cache
    @require_http_methods(["GET", "POST"])
    @limited("form", email_field=email_field)
    def view(request, slug: str):
        statement = public_statement(slug)
        context = {"statement": statement, "title": statement.current_title()}
        if not statement.is_open:
            return render(request, "signatures/closed.html", context, status=410)
        form = form_class(request.POST or None, statement=statement)
        if request.method == "POST" and form.is_spam():
            # Software that fills the hidden field is told what a person is told, and
            # nothing is stored.
            return redirect(sent, slug=statement.slug)
        if request.method == "POST" and form.is_valid():
            submitted = model.submit(statement, form.cleaned_data, get_language())
            # The same answer whether or not this organization or address signed before:
            # whoever submits learns nothing about other signatures (see `answer`).
            return answer(request, submitted, sent, statement)
        status = 400 if form.errors else 200
        return render(request, template, {**context, "form": form}, status=status)

    return view


AGAIN = {"resent", "wait", "limit", "confirmed"}


def sent_page(**extra):
    def view(request, slug: str):
        again = request.GET.get("again", "")
        statement = public_statement(slug)
        context = {
            "statement": statement,
            "title": statement.current_title(),
            "hours": settings.CONFIRMATION_HOURS,
            "minutes": settings.RESEND_SPACING_MINUTES,
            # Says only what this browser's own submission did (see `answer`).
            "again": again if again in AGAIN and "pledge" not in extra else "",
            **extra,
        }
        return render(request, "signatures/sent.html", context)

    return view
