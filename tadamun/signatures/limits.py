"""Abuse limits on the public forms: per client address and per e-mail domain, counted by
django-ratelimit in the cache (Redis when several app servers share it), answered with a
readable 429 page that says when to try again.

Neither the cache nor the log holds a client address: only HMACs of it under a random key
that exists only in the cache and is replaced every CLIENT_KEY_HOURS. Nothing written to
disk can be turned back into an address once that key is gone, and the key is never on disk
(run Redis without persistence: docs/deploy.md).
"""

import functools
import hashlib
import hmac
import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from .addresses import SHARED_PROVIDERS, client_address, domain_of

log = logging.getLogger(__name__)


def client_key(now: float | None = None) -> bytes:
    """The key of the current period, made by whichever app server needs it first."""
    seconds = settings.CLIENT_KEY_HOURS * 3600
    name = f"tadamun:client-key:{int((now or time.time()) // seconds)}"
    key = cache.get(name)
    if key is None:
        cache.add(name, secrets.token_hex(32), timeout=seconds + 600)
        # Another server may have added its own first: everyone uses the one that stayed.
        key = cache.get(name) or secrets.token_hex(32)
    return bytes.fromhex(key)


def transient_hash(purpose: str, value: str) -> str:
    return hmac.new(client_key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def client_tag(request) -> str:
    """A short tag that tells clients apart in today's log without revealing their address."""
    return transient_hash("tag", client_address(request))[:12]


def checks(scope: str, email_field: str | None) -> list[dict]:
    """The limits a POST to a view of `scope` counts against, as django-ratelimit takes them.
    Rates are read at each request, from RATE_LIMITS; the cache never holds an address
    itself, only a hash of it under today's client key."""

    def client_rate(group, request) -> str | None:
        return settings.RATE_LIMITS.get(f"{scope}_client") or None

    def client_key(group, request) -> str:
        return transient_hash("limit", client_address(request))

    def domain(request) -> str:
        return domain_of(request.POST.get(email_field, ""))

    def domain_rate(group, request) -> str | None:
        # Large providers are shared by many unrelated people: no limit would be fair.
        if not domain(request) or domain(request) in SHARED_PROVIDERS:
            return None
        return settings.RATE_LIMITS.get(f"{scope}_domain") or None

    def domain_key(group, request) -> str:
        return transient_hash("domain", domain(request))

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
