"""Who may open which page of the organizers' desk: staff accounts, by role in a coalition."""

import functools
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from tadamun.accounts import factors
from tadamun.statements.models import Coalition, Statement
from tadamun.statements.roles import EVERYONE, coalition_ids


def organizer_required(view):
    """Signed in, active and staff, with the second factor shown when one is required
    (tadamun/accounts/factors.py); anyone else is sent to the desk's sign-in page."""

    @login_required(login_url="desk:login")
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        if not factors.passed(request):
            # The sign-in page sends a half-signed-in organizer to the step that is missing.
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return redirect(f"{reverse('desk:login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


def coalitions(user, roles=EVERYONE) -> QuerySet[Coalition]:
    """The coalitions where `user` holds one of `roles` (every coalition for a superuser)."""
    if user.is_superuser:
        return Coalition.objects.all()
    return Coalition.objects.filter(pk__in=coalition_ids(user, roles))


def may(user, coalition_id: int, roles) -> bool:
    """Whether `user` holds one of `roles` in the coalition (a superuser always does)."""
    return user.is_superuser or coalition_id in coalition_ids(user, roles)


def coalition_or_404(user, pk: int, roles=EVERYONE) -> Coalition:
    return get_object_or_404(coalitions(user, roles), pk=pk)


def statement_or_404(user, pk: int, roles=EVERYONE) -> Statement:
    """A statement of one of the user's coalitions where they hold one of `roles`; another
    coalition's statement answers 404, as if it did not exist."""
    queryset = Statement.objects.select_related("coalition", "current_version")
    if not user.is_superuser:
        queryset = queryset.filter(coalition_id__in=coalition_ids(user, roles))
    return get_object_or_404(queryset, pk=pk)
