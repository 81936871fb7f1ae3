"""Sign-in guesses are throttled by django-axes, per account and per client, without letting
a stranger lock an organizer out of the devices they use.

A guessing client waits after SIGN_IN_FAILURES wrong passwords for one account. A client
that has never completed a sign-in to that account also waits once the account, or the
client's address, has had that many failures from anywhere; a browser that has signed in to
the account before (it holds a signed "known device" cookie) is judged on its own failures
only, so strangers guessing from elsewhere cannot keep its organizer out. Every wait ends
after SIGN_IN_COOLOFF_MINUTES.
"""

import datetime
import ipaddress

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tadamun.signatures.addresses import client_address, keyed_hash

KNOWN_COOKIE = "tadamun_known"
KNOWN_SALT = "tadamun.accounts.known-device"
KNOWN_DAYS = 180
KNOWN_MAX = 5
EVERY_PAIR = ["username", "ip_address"]


def _account_tag(username: str) -> str:
    return keyed_hash("known-device", (username or "").casefold())[:16]


def _known_tags(request) -> list[str]:
    try:
        tags = signing.loads(
            request.COOKIES.get(KNOWN_COOKIE, ""), salt=KNOWN_SALT, max_age=KNOWN_DAYS * 86400
        )
    except signing.BadSignature:
        return []
    return tags if isinstance(tags, list) else []


def knows(request, username: str) -> bool:
    """Whether this browser completed a sign-in to `username` before."""
    return _account_tag(username) in _known_tags(request)


def remember(request, response, username: str) -> None:
    """After a complete sign-in: this browser is a known device of the account."""
    tag = _account_tag(username)
    tags = [tag, *(t for t in _known_tags(request) if t != tag)][:KNOWN_MAX]
    response.set_cookie(
        KNOWN_COOKIE,
        signing.dumps(tags, salt=KNOWN_SALT),
        max_age=KNOWN_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def lockout_parameters(request, credentials=None) -> list:
    """What django-axes counts failures by, for this attempt (see the module's note)."""
    username = (credentials or {}).get("username") or ""
    if isinstance(request, HttpRequest) and username and knows(request, username):
        return [EVERY_PAIR]
    return [EVERY_PAIR, "username", "ip_address"]


def client_pseudonym(request) -> str:
    """The client as django-axes stores it: not the address, but a keyed hash of it shaped
    as a private IPv6 address (axes keeps an IP address field), so that the table of
    failures names no reader even while it keeps them."""
    digest = keyed_hash("sign-in", client_address(request))
    return str(ipaddress.IPv6Address(bytes.fromhex("fd" + digest[:30])))


def refused(request, original_response=None, credentials=None):
    """The sign-in page again, saying why and for how long, in the page's language."""
    minutes = settings.SIGN_IN_COOLOFF_MINUTES
    response = render(
        request,
        "desk/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_minutes": minutes,
            "next": request.POST.get("next") or request.GET.get("next") or reverse("desk:home"),
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def forget_old_failures() -> int:
    """Hourly (signatures' housekeeping): failures past their wait are no longer needed."""
    since = timezone.now() - datetime.timedelta(minutes=settings.SIGN_IN_COOLOFF_MINUTES)
    return AccessAttempt.objects.filter(attempt_time__lt=since).delete()[0]
