"""The coalition's team: its owners give colleagues a role, change it or take it away."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tadamun.statements.models import Membership
from tadamun.statements.roles import OWNERS

from ..access import coalition_or_404, may, organizer_required
from ..forms import MemberForm, RoleForm
from ..team import TeamError, change_role, give_role, invite_again, remove


@organizer_required
@require_http_methods(["GET", "POST"])
def team(request, pk: int):
    coalition = coalition_or_404(request.user, pk, OWNERS)
    form = MemberForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            membership = give_role(
                coalition,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                by=request.user,
                language=get_language(),
            )
        except TeamError as problem:
            error = str(problem)
        else:
            if membership.user.has_usable_password():
                text = _("%(email)s now has a role: %(role)s. We told them by e-mail.")
            else:
                text = _(
                    "%(email)s now has a role: %(role)s. We sent them an e-mail with a link "
                    "to choose a password."
                )
            messages.success(
                request,
                text % {"email": membership.user.email, "role": membership.get_role_display()},
            )
            return redirect("desk:team", coalition.pk)
    members = [
        (membership, RoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}"))
        for membership in coalition.memberships.select_related("user").order_by(
            "role", "user__username"
        )
    ]
    return render(
        request,
        "desk/team.html",
        {
            "coalition": coalition,
            "form": form,
            "error": error,
            "members": members,
        },
        status=400 if error or form.errors else 200,
    )


@organizer_required
@require_POST
def member(request, pk: int, member_pk: int):
    coalition = coalition_or_404(request.user, pk, OWNERS)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=member_pk, coalition=coalition
    )
    who = {"email": membership.user.email or membership.user.get_username()}
    action = request.POST.get("action")
    try:
        if action == "remove":
            remove(membership, by=request.user)
            messages.success(request, _("%(email)s no longer has a role here.") % who)
        elif action == "invite":
            invite_again(membership, get_language(), by=request.user)
            messages.success(request, _("We sent the e-mail to %(email)s again.") % who)
        else:
            form = RoleForm(request.POST, prefix=f"m{membership.pk}")
            if not form.is_valid():
                raise TeamError(_("Choose one of the roles."))
            change_role(membership, form.cleaned_data["role"], by=request.user)
            membership.refresh_from_db()
            messages.success(
                request,
                _("%(email)s now has the role: %(role)s.")
                % {**who, "role": membership.get_role_display()},
            )
    except TeamError as problem:
        messages.error(request, str(problem))
    if not may(request.user, coalition.pk, OWNERS):
        return redirect("desk:home")  # the owner stepped down: this page is no longer theirs
    return redirect("desk:team", coalition.pk)
