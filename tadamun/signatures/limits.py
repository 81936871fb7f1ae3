"""Abuse limits on the public forms: per client address and per e-mail domain, kept in the
cache (Redis when several app servers share it), answered with a readable 429 page.

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


def _client_key(group, request) -> str:
    return transient_hash("limit", client_address(request))


def retry_after(request, scope: str, email: str = "") -> int | None:
    """Count this request against `scope`; the seconds to wait if it is over a limit."""
    rates = settings.RATE_LIMITS
    checks = [(f"{scope}:client", _client_key, rates.get(f"{scope}_client"))]
    domain = domain_of(email)
    if domain and domain not in SHARED_PROVIDERS and rates.get(f"{scope}_domain"):
        checks.append(
            (
                f"{scope}:domain",
                lambda g, r: transient_hash("domain", domain),
                rates[f"{scope}_domain"],
            )
        )
    wait = None
    for group, key, rate in checks:
        if not rate:
            continue
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
        if usage and usage["should_limit"]:
            wait = max(wait or 0, int(usage["time_left"]) + 1)
    if wait:
        log.warning("rate limit %s reached by client %s", scope, client_tag(request))
    return wait


def limited(scope: str, email_field: str | None = None):
    """Decorate a view: a POST over the limit gets the 429 page and changes nothing."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                email = request.POST.get(email_field, "") if email_field else ""
                wait = retry_after(request, scope, email)
                if wait:
                    response = render(
                        request,
                        "too_many.html",
                        {"minutes": max(1, (wait + 59) // 60)},
                        status=429,
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
