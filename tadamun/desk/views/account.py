"""Signing in to the desk (and to the admin, which sends its sign-in here): the password,
then the second factor; setting up and removing second factors."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from tadamun.accounts import factors, throttle


def next_url(request) -> str:
    """Where to go once signed in: a page of this site only."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("desk:home")


def with_next(name: str, url: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: url})}"


def step_after_password(request, url: str) -> HttpResponse:
    """The second factor if one is set up or required, else (in development) the page."""
    user = request.user
    if not factors.passed(request):
        if factors.has_factor(user) or factors.recovery_codes_left(user):
            return redirect(with_next("desk:verify", url))
        return redirect(with_next("desk:two_factor", url))
    if not factors.has_factor(user):
        messages.info(
            request,
            _(
                "Your account is protected by its password only. Add a passkey or an "
                "authenticator app in “Second factor”."
            ),
        )
    return signed_in(request, url)


def signed_in(request, url: str) -> HttpResponse:
    response = redirect(url)
    throttle.remember(request, response, request.user.get_username())
    return response


@sensitive_post_parameters()
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    url = next_url(request)
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        return step_after_password(request, url)
    form = AdminAuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        auth_login(request, form.get_user())
        return step_after_password(request, url)
    return render(
        request,
        "desk/login.html",
        {"form": form, "next": url, "not_staff": user.is_authenticated and not user.is_staff},
    )


@sensitive_post_parameters()
@never_cache
@login_required(login_url="desk:login")
@require_http_methods(["GET", "POST"])
def verify(request):
    url = next_url(request)
    user = request.user
    if factors.verified(user):
        return signed_in(request, url)
    devices = factors.devices(user)
    if not devices:
        return redirect(with_next("desk:two_factor", url))
    error = ""
    if request.method == "POST":
        try:
            if factors.verify(request, request.POST.get("code", "")):
                return signed_in(request, url)
            error = _(
                "This code was not accepted. Check the time on your phone, or use a recovery code."
            )
        except factors.Throttled:
            error = _("Too many wrong codes: wait a minute, then try again.")
    kinds = {factors.kind(device) for device in devices}
    return render(
        request,
        "desk/verify.html",
        {"next": url, "kinds": kinds, "error": error},
        status=400 if error else 200,
    )


@sensitive_post_parameters()
@never_cache
@login_required(login_url="desk:login")
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The organizer's second factors: add a passkey or an app, new recovery codes, remove."""
    url = next_url(request)
    user = request.user
    if not user.is_staff:
        raise Http404
    if factors.devices(user) and not factors.verified(user):
        # Adding a factor to an account that has one needs that one first.
        return redirect(with_next("desk:verify", url))
    context = {"next": url, "codes": None, "error": ""}
    action = request.POST.get("action", "")
    if action == "start-app":
        factors.pending_app(user, create=True)
    elif action == "confirm-app":
        if factors.confirm_app(request, request.POST.get("code", "")):
            messages.success(request, _("The authenticator app is set up."))
            if not factors.recovery_codes_left(user):
                context["codes"] = factors.new_recovery_codes(user)
        else:
            context["error"] = _(
                "This code was not accepted. Type the six digits the app shows now."
            )
    elif action == "recovery-codes" and factors.verified(user):
        context["codes"] = factors.new_recovery_codes(user)
    elif action == "remove" and factors.verified(user):
        found = [d for d in factors.devices(user) if d.persistent_id == request.POST.get("device")]
        for device in found:
            factors.remove(request, device)
            messages.success(request, _("Removed."))
    pending = factors.pending_app(user)
    devices = factors.devices(user)
    context.update(
        {
            "devices": [(d, factors.kind(d)) for d in devices if factors.kind(d) != "recovery"],
            "recovery_left": factors.recovery_codes_left(user),
            "pending": pending,
            "qr": factors.qr_code(pending) if pending else "",
            "secret": factors.secret(pending) if pending else "",
            "required": factors.required(user),
            "ready": factors.passed(request) and factors.has_factor(user),
        }
    )
    return render(request, "desk/two_factor.html", context, status=400 if context["error"] else 200)
