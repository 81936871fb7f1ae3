"""The audit log of organizers' accounts: sign-ins, failures, waits and changes of role. A
change of role or a removal ends that organizer's sessions, whichever page made it."""

import datetime
import time

from django.conf import settings
from django.utils import timezone

from tadamun.api.models import ApiToken
from tadamun.audit import models as audit

from .middleware import SEEN
from .models import OrganizerSession

LOCKED = "sign-in paused after failures"


def signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
        request.session.save()
        OrganizerSession.opened(user, request.session.session_key)
    audit.log(user, "signed in with password", "sign-in")


def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.log(user, "signed out", "sign-in")


def failed(sender, credentials, request=None, **kwargs) -> None:
    # A refusal during a wait is not logged again: a stranger cannot fill the log.
    if request is not None and getattr(request, "axes_locked_out", False):
        return
    audit.Event.objects.create(
        username=str(credentials.get("username", ""))[:150],
        action="sign-in failed",
        target="sign-in",
    )


def locked_out(sender, request, username, ip_address=None, **kwargs) -> None:
    """Once per account and wait: axes says it again at each refused attempt."""
    since = timezone.now() - datetime.timedelta(minutes=settings.SIGN_IN_COOLOFF_MINUTES)
    username = str(username or "")[:150]
    if not audit.Event.objects.filter(action=LOCKED, username=username, at__gte=since).exists():
        audit.Event.objects.create(
            username=username,
            action=LOCKED,
            target="sign-in",
            detail={"minutes": settings.SIGN_IN_COOLOFF_MINUTES},
        )


def role_before(sender, instance, raw=False, **kwargs) -> None:
    instance._role_before = (
        sender.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        if instance.pk
        else None
    )


def role_saved(sender, instance, created, raw=False, **kwargs) -> None:
    by = getattr(instance, "changed_by", None)
    if created:
        audit.log(
            by,
            "added a member",
            instance.coalition,
            member=instance.user.username,
            role=instance.role,
        )
        return
    before = getattr(instance, "_role_before", None)
    if before != instance.role:
        ended = OrganizerSession.end_all(instance.user)
        audit.log(
            by,
            "changed a role",
            instance.coalition,
            member=instance.user.username,
            before=before,
            role=instance.role,
            sessions_ended=ended,
            tokens_revoked=revoke_tokens(instance),
        )


def revoke_tokens(membership) -> list[str]:
    """The API tokens this organizer created for the coalition stop working: they may have
    kept a copy, and a token opens the same doors their role did."""
    tokens = ApiToken.objects.filter(
        coalition=membership.coalition, created_by=membership.user, revoked_at__isnull=True
    )
    prefixes = list(tokens.values_list("prefix", flat=True))
    tokens.update(revoked_at=timezone.now())
    return prefixes


def member_removed(sender, instance, **kwargs) -> None:
    ended = OrganizerSession.end_all(instance.user)
    audit.log(
        getattr(instance, "changed_by", None),
        "removed a member",
        instance.coalition,
        member=instance.user.username,
        role=instance.role,
        sessions_ended=ended,
        tokens_revoked=revoke_tokens(instance),
    )
