"""Pledge pages: the join form and the links in pledge messages."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..forms import PledgeForm
from ..limits import limited
from ..models import Pledge
from .links import link_view, open_statement, statement_title


@never_cache
@require_http_methods(["GET", "POST"])
@limited("form", email_field="email")
def join(request, slug: str):
    statement = open_statement(slug)
    context = {"statement": statement, "title": statement_title(statement)}
    if not statement.is_open:
        return render(request, "signatures/closed.html", context, status=410)
    form = PledgeForm(request.POST or None, statement=statement)
    if request.method == "POST" and form.is_spam():
        # Software that fills the hidden field is told the same as a person, and nothing
        # is stored.
        return redirect("signatures:join_sent", slug=statement.slug)
    if request.method == "POST" and form.is_valid():
        Pledge.submit(statement, form.cleaned_data, get_language())
        # The same answer whether or not this address pledged before.
        return redirect("signatures:join_sent", slug=statement.slug)
    status = 400 if form.errors else 200
    return render(request, "signatures/join_form.html", {**context, "form": form}, status=status)


def join_sent(request, slug: str):
    statement = open_statement(slug)
    return render(
        request,
        "signatures/sent.html",
        {
            "statement": statement,
            "title": statement_title(statement),
            "hours": settings.CONFIRMATION_HOURS,
            "pledge": True,
        },
    )


confirm = link_view(
    Pledge,
    "pledge-confirm",
    "signatures/pledge_confirm.html",
    "signatures/pledge_confirm_done.html",
    already=lambda p: p.status != Pledge.Status.UNCONFIRMED,
    act=Pledge.confirm,
)
confirm_work = link_view(
    Pledge,
    "pledge-work",
    "signatures/pledge_work.html",
    "signatures/pledge_work_done.html",
    already=lambda p: p.work_verified or not p.work_email,
    act=Pledge.confirm_work_address,
)
withdraw = link_view(
    Pledge,
    "pledge-withdraw",
    "signatures/pledge_withdraw.html",
    "signatures/pledge_withdraw_done.html",
    already=lambda p: p.status in (Pledge.Status.WITHDRAWN, Pledge.Status.DUPLICATE),
    act=Pledge.withdraw,
)
unsubscribe = link_view(
    Pledge,
    "pledge-unsubscribe",
    "signatures/pledge_unsubscribe.html",
    "signatures/pledge_unsubscribe_done.html",
    already=lambda p: not p.wants_updates,
    act=Pledge.unsubscribe,
)
