"""Abuse limits on the public forms: per client address and per e-mail domain, kept in the
cache (Redis when several app servers share it), answered with a readable 429 page."""

import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .addresses import SHARED_PROVIDERS, client_address, client_tag, domain_of, keyed_hash

log = logging.getLogger(__name__)


def _client_key(group, request) -> str:
    # The cache never holds the address itself, only a keyed hash of it.
    return keyed_hash("limit", client_address(request))


def retry_after(request, scope: str, email: str = "") -> int | None:
    """Count this request against `scope`; the seconds to wait if it is over a limit."""
    rates = settings.RATE_LIMITS
    checks = [(f"{scope}:client", _client_key, rates.get(f"{scope}_client"))]
    domain = domain_of(email)
    if domain and domain not in SHARED_PROVIDERS and rates.get(f"{scope}_domain"):
        checks.append(
            (f"{scope}:domain", lambda g, r: keyed_hash("limit", domain), rates[f"{scope}_domain"])
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
