"""Abuse limits on the public forms: per client address and per e-mail domain, counted by
django-ratelimit in the cache (Redis when several app servers share it), answered with a
readable 429 page that says when to try again."""

import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from .addresses import SHARED_PROVIDERS, client_address, client_tag, domain_of, keyed_hash

log = logging.getLogger(__name__)


def checks(scope: str, email_field: str | None) -> list[dict]:
    """The limits a POST to a view of `scope` counts against, as django-ratelimit takes them.
    Rates are read at each request, from RATE_LIMITS; the cache never holds an address
    itself, only a keyed hash of it."""

    def client_rate(group, request) -> str | None:
        return settings.RATE_LIMITS.get(f"{scope}_client") or None

    def client_key(group, request) -> str:
        return keyed_hash("limit", client_address(request))

    def domain(request) -> str:
        return domain_of(request.POST.get(email_field, ""))

    def domain_rate(group, request) -> str | None:
        # Large providers are shared by many unrelated people: no limit would be fair.
        if not domain(request) or domain(request) in SHARED_PROVIDERS:
            return None
        return settings.RATE_LIMITS.get(f"{scope}_domain") or None

    def domain_key(group, request) -> str:
        return keyed_hash("limit", domain(request))

    found = [{"group": f"{scope}:client", "key": client_key, "rate": client_rate}]
    if email_field:
        found.append({"group": f"{scope}:domain", "key": domain_key, "rate": domain_rate})
    return found


def limited(scope: str, email_field: str | None = None):
    """Decorate a view: a POST over a limit gets the 429 page and changes nothing."""
    limits = checks(scope, email_field)

    def decorator(view):
        @functools.wraps(view)
        def refuse_when_limited(request, *args, **kwargs):
            if getattr(request, "limited", False):
                return too_many(request, scope, limits)
            return view(request, *args, **kwargs)

        counted = refuse_when_limited
        for limit in limits:
            counted = ratelimit(**limit, method="POST", block=False)(counted)
        return counted

    return decorator


def too_many(request, scope: str, limits: list[dict]):
    """The 429 page, with the seconds until the first exceeded limit starts afresh."""
    waits = []
    for limit in limits:
        usage = get_usage(request, **limit, method="POST")
        if usage and usage["should_limit"]:
            waits.append(max(1, usage["time_left"] + 1))
    wait = max(waits, default=60)
    log.warning("rate limit %s reached by client %s", scope, client_tag(request))
    response = render(request, "too_many.html", {"minutes": max(1, (wait + 59) // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response
