"""Signed links for confirmation and withdrawal: unguessable, bound to one signature, single-use.

A token signs (purpose, object id, nonce). The nonce is a random value stored on the object
and replaced once the link is used, so a used link stops working and a link made for one
signature never opens another.
"""

import secrets

from django.core import signing

SALT = "tadamun.signatures.tokens"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def make(purpose: str, object_id: int, nonce: str) -> str:
    return signing.TimestampSigner(salt=f"{SALT}.{purpose}").sign_object([object_id, nonce])


class Invalid(Exception):
    """The link was forged, mangled, already used or made for something else."""


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
