"""Signed links in messages (confirm, withdraw, reconfirm…): unguessable and bound to one object.

A token signs (purpose, object id, nonce). The nonce is a random value stored on the object,
so a link made for one signature never opens another, and replacing a nonce would revoke
every link made with it. Links are not single-use: each step acts once (a confirmed sign-on
is not confirmed again), and a link followed again changes nothing and says so. Confirmation
links expire after CONFIRMATION_HOURS; withdrawal links never do.
"""

import secrets

from django.core import signing

SALT = "tadamun.signatures.tokens"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def make(purpose: str, object_id: int, nonce: str) -> str:
    return signing.TimestampSigner(salt=f"{SALT}.{purpose}").sign_object([object_id, nonce])


class Invalid(Exception):
    """The link was forged, mangled, made for something else, or its object is gone."""


class Expired(Invalid):
    """The link was genuine but is older than it may be."""


def read(token: str, purpose: str, max_age: int | None) -> tuple[int, str]:
    """(object id, nonce) from a valid token; raises Expired or Invalid."""
    try:
        value = signing.TimestampSigner(salt=f"{SALT}.{purpose}").unsign_object(
            token, max_age=max_age
        )
    except signing.SignatureExpired:
        raise Expired from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise Invalid from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise Invalid
    return value[0], value[1]
