"""Pledge pages: the join form and the links in pledge messages."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import tokens
from ..forms import PledgeForm
from ..limits import limited
from ..models import Pledge
from .signon import link_problem, open_statement, statement_title


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


def pledge_link(purpose: str, template: str, already, act):
    """A view for one kind of pledge link: GET shows a button, only a POST acts."""

    @never_cache
    @require_http_methods(["GET", "POST"])
    @limited("link")
    def view(request, token: str):
        try:
            pledge = Pledge.from_token(token, purpose)
        except tokens.Invalid as error:
            return link_problem(request, error, purpose)
        context = {
            "pledge": pledge,
            "statement": pledge.statement,
            "title": statement_title(pledge.statement),
        }
        if already(pledge):
            return render(request, f"signatures/{template}_done.html", {**context, "again": True})
        if request.method == "POST":
            act(pledge)
            return render(request, f"signatures/{template}_done.html", context)
        return render(request, f"signatures/{template}.html", context)

    return view


confirm = pledge_link(
    "pledge-confirm",
    "pledge_confirm",
    already=lambda p: p.status != Pledge.Status.UNCONFIRMED,
    act=Pledge.confirm,
)
confirm_work = pledge_link(
    "pledge-work",
    "pledge_work",
    already=lambda p: p.work_verified or not p.work_email,
    act=Pledge.confirm_work_address,
)
withdraw = pledge_link(
    "pledge-withdraw",
    "pledge_withdraw",
    already=lambda p: p.status in (Pledge.Status.WITHDRAWN, Pledge.Status.DUPLICATE),
    act=Pledge.withdraw,
)
unsubscribe = pledge_link(
    "pledge-unsubscribe",
    "pledge_unsubscribe",
    already=lambda p: not p.wants_updates,
    act=Pledge.unsubscribe,
)
