"""The desk's first page: the organizer's coalitions, their statements and what waits."""

from django.db.models import Count, Q
from django.shortcuts import render

from tadamun.signatures.models import SignOn
from tadamun.statements.models import Membership, Statement
from tadamun.statements.roles import CONTENT, MODERATION, OWNERS

from ..access import coalitions, organizer_required


def roles_of(user) -> dict[int, set[str]]:
    """The roles the user holds, by coalition."""
    held: dict[int, set[str]] = {}
    for coalition_id, role in Membership.objects.filter(user=user).values_list(
        "coalition_id", "role"
    ):
        held.setdefault(coalition_id, set()).add(role)
    return held


@organizer_required
def home(request):
    mine = list(coalitions(request.user).order_by("slug"))
    statements = (
        Statement.objects.filter(coalition__in=mine)
        .select_related("current_version")
        .annotate(pending=Count("signons", filter=Q(signons__status=SignOn.Status.PENDING)))
        .order_by("-created_at")
    )
    by_coalition = {coalition.pk: [] for coalition in mine}
    for statement in statements:
        by_coalition[statement.coalition_id].append(statement)
    held = roles_of(request.user)

    def may(coalition, roles) -> bool:
        return request.user.is_superuser or bool(held.get(coalition.pk, set()) & roles)

    return render(
        request,
        "desk/home.html",
        {
            "coalitions": [
                (
                    coalition,
                    by_coalition[coalition.pk],
                    {
                        "moderate": may(coalition, MODERATION),
                        "edit": may(coalition, CONTENT),
                        "own": may(coalition, OWNERS),
                    },
                )
                for coalition in mine
            ],
            "pending": sum(statement.pending for statement in statements),
            # Where the organizer may write a statement (owners and editors).
            "writable": set(coalitions(request.user, CONTENT).values_list("pk", flat=True)),
        },
    )
