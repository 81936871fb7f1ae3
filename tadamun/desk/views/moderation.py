"""The moderation desk: a statement's sign-ons waiting for a decision, one card each with what
a moderator needs to trust it, and Approve and Reject on the card."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tadamun.audit import models as audit
from tadamun.multilingual import pick
from tadamun.signatures import dedupe
from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.roles import MODERATION

from ..access import organizer_required, statement_or_404
from ..forms import RejectForm

PER_PAGE = 20


def cards(statement) -> list[list[SignOn]]:
    """The sign-ons waiting for a decision, oldest confirmation first; identical copies of one
    submission (sent several times) together, as one card."""
    groups: dict[tuple, list[SignOn]] = {}
    waiting = (
        SignOn.objects.filter(statement=statement, status=SignOn.Status.PENDING)
        .select_related("organization", "version")
        .order_by("confirmed_at", "pk")
    )
    for signon in waiting:
        groups.setdefault(signon.identity(), []).append(signon)
    return list(groups.values())


def name_keys(signon: SignOn) -> set[str]:
    return {key for key in map(dedupe.name_key, signon.submitted_name.values()) if key}


def signals(signon: SignOn, waiting: list[SignOn], coalition_id: int, among) -> dict:
    """What the card shows to help decide. Everything is of this statement's coalition only:
    a moderator must learn nothing of who signed another coalition's statements, nor read an
    organization record that another coalition's sign-ons fed."""
    mine = {coalition_id}
    match, compared = signon.domain_signal(mine)
    earlier = list(signon.earlier_statements())
    keys = name_keys(signon)
    same_organization = [
        {"names": other.submitted_name, "domain": other.contact_email.rpartition("@")[2]}
        for other in waiting
        if other.identity() != signon.identity()
        and (other.organization_id == signon.organization_id or keys & name_keys(other))
    ]
    return {
        "domain": match,
        "compared": compared,
        "website_host": (urlsplit(signon.website).hostname or "").removeprefix("www."),
        "changes": signon.proposed_changes(mine),
        "already_approved": signon.already_approved(),
        "same_organization": same_organization,
        "similar": [
            {"names": organization.name, "score": score}
            for organization, score in signon.organization.near_duplicates(limit=3, among=among)
        ],
        "earlier": earlier,
        "by_others": [s for s in signon.organization_statements() if s not in earlier],
    }


def desk_page(request, statement, errors: dict | None = None, status: int = 200, form=""):
    groups = cards(statement)
    page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page") or request.POST.get("page"))
    waiting = [signon for group in groups for signon in group]
    among = Organization.objects.signed_with(statement.coalition_id)
    shown = [
        {
            "signon": group[0],
            "copies": len(group),
            "times": sum(copy.times_submitted for copy in group),
            "signals": signals(group[0], waiting, statement.coalition_id, among),
            "error": (errors or {}).get(group[0].pk),
            "form": form if (errors or {}).get(group[0].pk) else "",
            "reason": request.POST.get("reason", "") if errors else "",
        }
        for group in page.object_list
    ]
    # The cards show contacts' names, roles and addresses: who looked is logged.
    audit.log(
        request.user,
        "viewed contact data",
        statement,
        signons=[card["signon"].pk for card in shown],
    )
    unconfirmed = SignOn.awaiting().filter(statement=statement, status=SignOn.Status.UNCONFIRMED)
    return render(
        request,
        "desk/moderation.html",
        {
            "statement": statement,
            "title": statement.working_title(),
            "cards": shown,
            "page": page,
            "waiting": len(groups),
            "submissions": len(waiting),
            "unconfirmed": unconfirmed.count(),
        },
        status=status,
    )


@organizer_required
def moderation(request, pk: int):
    statement = statement_or_404(request.user, pk, MODERATION)
    return desk_page(request, statement)


def back_to_desk(request, statement):
    url = reverse("desk:moderation", args=[statement.pk])
    page = request.POST.get("page", "")
    if page.isdigit() and page != "1":
        url += f"?page={page}"
    return redirect(url + "#messages")


def decision(request, pk: int, signon_pk: int):
    statement = statement_or_404(request.user, pk, MODERATION)
    signon = get_object_or_404(
        SignOn.objects.select_related("organization", "statement"),
        pk=signon_pk,
        statement=statement,
    )
    return statement, signon


@organizer_required
@require_POST
def approve(request, pk: int, signon_pk: int):
    statement, signon = decision(request, pk, signon_pk)
    name = pick(signon.submitted_name)
    # A held claim (a listed organization's name from an address outside its domain) is
    # approved only once the moderator says they checked with the organization.
    release = signon.held and bool(request.POST.get("release"))
    if signon.held and not release and signon.status == SignOn.Status.PENDING:
        error = _("Tick the box once you have checked with the organization, then approve.")
        return desk_page(request, statement, errors={signon.pk: error}, status=400, form="approve")
    # Copies of the same submission are settled with it, whatever the decision's fate; the
    # decision is not wrapped with them, since approve() may rightly keep a change it
    # refuses with (a claim on an organization approved meanwhile).
    folded = signon.fold_identical(by=request.user)
    try:
        signon.approve(by=request.user, release=release)
    except ValueError as error:
        messages.error(request, f"{name}: {error}")
    else:
        action = "approved a held claim" if release else "approved"
        audit.log(request.user, action, signon, folded=folded)
        messages.success(
            request,
            _("%(name)s is approved and on the public list. The signer is told by e-mail.")
            % {"name": name},
        )
    return back_to_desk(request, statement)


@organizer_required
@require_POST
def reject(request, pk: int, signon_pk: int):
    statement, signon = decision(request, pk, signon_pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        if signon.status != SignOn.Status.PENDING:
            return back_to_desk(request, statement)
        error = " ".join(form.errors["reason"])
        return desk_page(request, statement, errors={signon.pk: error}, status=400, form="reject")
    name = pick(signon.submitted_name)
    reason = form.cleaned_data["reason"].strip()
    folded = signon.fold_identical(by=request.user)
    try:
        signon.reject(reason=reason, by=request.user)
    except ValueError as error:
        messages.error(request, f"{name}: {error}")
    else:
        audit.log(request.user, "rejected", signon, reason=reason, folded=folded)
        messages.success(
            request,
            _("%(name)s is rejected. The signer is told by e-mail, with your reason.")
            % {"name": name},
        )
    return back_to_desk(request, statement)
