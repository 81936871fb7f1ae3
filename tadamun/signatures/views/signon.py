"""Sign-on pages: the form, resending, and the links in sign-on messages."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import addresses
from ..forms import SignOnForm
from ..limits import limited
from ..models import Pledge, SignOn
from .links import link_view, open_statement, statement_title


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


ENDED = (SignOn.Status.WITHDRAWN, SignOn.Status.REJECTED, SignOn.Status.DUPLICATE)

confirm = link_view(
    SignOn,
    "signon-confirm",
    "signatures/confirm.html",
    "signatures/confirmed.html",
    already=lambda s: s.status != SignOn.Status.UNCONFIRMED,
    act=SignOn.confirm,
)
withdraw = link_view(
    SignOn,
    "signon-withdraw",
    "signatures/withdraw.html",
    "signatures/withdrawn.html",
    already=lambda s: s.status in ENDED,
    act=SignOn.withdraw,
)
# A signatory of an earlier version signs the current text.
reconfirm = link_view(
    SignOn,
    "signon-reconfirm",
    "signatures/reconfirm.html",
    "signatures/reconfirmed.html",
    already=lambda s: s.status != SignOn.Status.APPROVED or s.signed_current_version(),
    refused=lambda s: (
        ("signatures/reconfirm_closed.html", 410) if s.statement.reconfirmation_closed_at else None
    ),
    act=SignOn.reconfirm,
    extra=lambda s: {"signed": s.version, "current": s.statement.current_version},
)
