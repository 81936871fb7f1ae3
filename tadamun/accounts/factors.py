"""Organizers' second factors: a passkey (django-otp-webauthn), a code from an authenticator
app (django-otp's TOTP) and single-use recovery codes (django-otp's static tokens).

django-otp marks a session verified once a factor was shown; these functions say when that
is needed and set the factors up, writing each step to the audit log.
"""

import base64

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamun.audit import models as audit

RECOVERY_CODES = 10
APP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"


def has_factor(user) -> bool:
    """Whether the organizer has set up a passkey or an authenticator app (recovery codes
    alone do not count: they are the way back in when those are lost)."""
    return any(kind(device) != "recovery" for device in django_otp.devices_for_user(user))


def required(user) -> bool:
    """Whether organizer pages wait for a second factor: always in production (TWO_FACTOR),
    and in development for an organizer who has set one up."""
    return settings.TWO_FACTOR or django_otp.user_has_device(user)


def verified(user) -> bool:
    """Whether this session has shown a second factor (django-otp's mark; a user object made
    before its middleware ran, as right after signing in, has none)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def passed(request) -> bool:
    """Whether this session may open organizer pages."""
    user = request.user
    return user.is_authenticated and (verified(user) or not required(user))


def kind(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return "app"
    if isinstance(device, StaticDevice):
        return "recovery"
    return "passkey"


def devices(user) -> list[Device]:
    return list(django_otp.devices_for_user(user))


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_app(user, create: bool = False) -> TOTPDevice | None:
    """The authenticator app being added: shown as a QR code until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None and create:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def qr_code(device: TOTPDevice) -> str:
    """The app's set-up link as an inline SVG (no image from elsewhere, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def secret(device: TOTPDevice) -> str:
    """The key as the apps ask for it when typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def clean(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()


def confirm_app(request, token: str) -> bool:
    """A first code from the app proves it was set up; the session counts as verified."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(clean(token)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    audit.log(user, "added a second factor", "authenticator app", device=device.persistent_id)
    if not verified(user):
        django_otp.login(request, device)
    return True


def new_recovery_codes(user) -> list[str]:
    """Replace the organizer's recovery codes with a fresh set, shown once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit.log(user, "created recovery codes", "recovery codes", count=len(codes))
    return codes


class Throttled(Exception):
    """Too many wrong codes: django-otp makes each device wait longer after each one."""


def verify(request, token: str) -> Device | None:
    """Check a code from the app or a recovery code; on success the session is verified."""
    user = request.user
    token = clean(token)
    found, throttled = None, False
    with transaction.atomic():
        for device in django_otp.devices_for_user(user, for_verify=True):
            if kind(device) == "passkey":
                continue
            allowed, _why = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                found = device
                break
    if found is None:
        audit.log(user, "second factor failed", "sign-in", throttled=throttled)
        if throttled:
            raise Throttled
        return None
    django_otp.login(request, found)
    audit.log(user, "second factor verified", "sign-in", factor=kind(found))
    return found


def remove(request, device: Device) -> None:
    audit.log(request.user, "removed a second factor", kind(device), device=device.persistent_id)
    device.delete()


def reset(user) -> int:
    """Remove every factor of `user`, recovery codes included; returns how many."""
    found = list(django_otp.devices_for_user(user, confirmed=None))
    for device in found:
        device.delete()
    return len(found)
