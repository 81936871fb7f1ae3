"""Contact details at rest: encrypted under the contact-data key while the server needs them,
sealed to the organizers' age keys once it does not (docs/threat-model.md has the table).

Encryption is ChaCha20-Poly1305 from `cryptography` (authenticated: a changed byte is refused,
not decrypted to garbage), with a random nonce per value and the model field's name as
associated data, so a value copied into another column does not decrypt. Sealing is age
(X25519): the server holds only public keys, and organizers open what it sealed with the
standard `age` tool.
"""

import base64
import functools
import hashlib
import os

import pyrage
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

# Marks the format (and, later, which key) of a stored value.
PREFIX = "c1."


class Unreadable(ImproperlyConfigured):
    """A stored value does not decrypt with this CONTACT_KEY: the key was changed or lost."""


@functools.lru_cache(maxsize=4)
def _cipher(key: str) -> ChaCha20Poly1305:
    return ChaCha20Poly1305(hashlib.sha256(b"tadamun.contact-data\0" + key.encode()).digest())


def encrypt(text: str, context: str) -> str:
    """`text` encrypted under the contact-data key, bound to `context` (the field's name)."""
    if not text:
        return ""
    nonce = os.urandom(12)
    sealed = _cipher(settings.CONTACT_KEY).encrypt(nonce, text.encode(), context.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, context: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise Unreadable(f"{context} holds a value that is not encrypted contact data")
    raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
    try:
        return _cipher(settings.CONTACT_KEY).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except InvalidTag:
        raise Unreadable(
            f"{context} does not decrypt with this CONTACT_KEY: was the key changed?"
        ) from None


def seal(text: str, recipients: list[str]) -> bytes:
    """`text` as an age file that only the holders of the recipients' private keys can open."""
    return pyrage.encrypt(text.encode(), [pyrage.x25519.Recipient.from_str(r) for r in recipients])


class EmptyOnly(Exact):
    """An encrypted column can be compared with "" (is there a value?) and nothing else: the
    same address encrypts differently every time. Look addresses up by their fingerprint."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: compare it only with '' "
                "(look an address up by its fingerprint instead)"
            )
        return super().get_prep_lookup()


class EncryptedField(models.TextField):
    """Text stored encrypted under the contact-data key and read back in clear; "" stays ""
    so that "has a value" and erasing (`update(field="")`) work in queries."""

    description = "text encrypted under the contact-data key"

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        return decrypt(value, self.context()) if value else ""

    def get_db_prep_save(self, value, connection):
        value = self.get_prep_value(value)
        return encrypt(value, self.context()) if value else ""

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnly
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None
