"""Sign-on pages: the form, resending, and the links in sign-on messages."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tadamun.public.statements import public_statement
from tadamun.record import models as record

from .. import addresses, tokens
from ..forms import DetailsForm, SignOnForm
from ..limits import limited
from ..models import Pledge, SignOn
from .links import link_problem, link_view
from .submission import form_page, sent_page

signon = form_page(
    SignOnForm, SignOn, "signatures/signon_form.html", "signatures:signon_sent", "contact_email"
)
signon_sent = sent_page()


@never_cache
@require_http_methods(["GET", "POST"])
@limited("resend", email_field="email")
def resend(request, slug: str):
    """Send the confirmation link again. The answer never says whether the address is known."""
    statement = public_statement(slug)
    context = {"statement": statement, "title": statement.current_title()}
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


confirm = link_view(
    SignOn,
    "signon-confirm",
    "signatures/confirm.html",
    "signatures/confirmed.html",
    can=SignOn.can_confirm,
    act=SignOn.confirm,
)
withdraw = link_view(
    SignOn,
    "signon-withdraw",
    "signatures/withdraw.html",
    "signatures/withdrawn.html",
    can=SignOn.can_withdraw,
    act=SignOn.withdraw,
    options=("forget",),
    extra=lambda s: {"named_in_record": record.disclosed(s.pk) is not None},
)
# A signatory of an earlier version signs the current text.
reconfirm = link_view(
    SignOn,
    "signon-reconfirm",
    "signatures/reconfirm.html",
    "signatures/reconfirmed.html",
    can=SignOn.can_reconfirm,
    refused=lambda s: (
        ("signatures/reconfirm_closed.html", 410) if s.statement.reconfirmation_closed_at else None
    ),
    act=SignOn.reconfirm,
    extra=lambda s: {"signed": s.version, "current": s.statement.current_version},
)


@never_cache
@require_http_methods(["GET", "POST"])
@limited("link")
def details(request, token: str):
    """The signatory changes how it is listed, or its name: the only way either changes."""
    try:
        signon = SignOn.from_token(token, "signon-details")
    except tokens.Invalid as error:
        return link_problem(request, error, "signon-details")
    context = {
        "signon": signon,
        "statement": signon.statement,
        "title": signon.statement.current_title(),
    }
    if not signon.can_change_details():
        return render(request, "signatures/details_closed.html", context, status=410)
    form = DetailsForm(request.POST or None, signon=signon)
    if request.method == "POST" and form.is_valid():
        changed = signon.change_details(form.cleaned_data["listing"], form.cleaned_data["names"])
        return render(request, "signatures/details_done.html", {**context, "changed": changed})
    return render(request, "signatures/details.html", {**context, "form": form})
