"""Checkpoints: the head of the record (its size and Merkle root) signed by the site.

The format is a C2SP checkpoint in a signed note (c2sp.org/tlog-checkpoint and
c2sp.org/signed-note), with an Ed25519 signature, so that tools written for other
transparency logs can read it too. docs/record.md describes it byte by byte.

Only the standard library and `cryptography`: a witness runs this away from any server.
"""

import base64
import datetime
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
DASH = "\u2014"  # the em dash that starts a signature line
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class BadCheckpoint(ValueError):
    """Not a checkpoint signed by the expected key."""


@dataclass(frozen=True)
class Head:
    origin: str
    size: int
    root: bytes
    signed_at: datetime.datetime
    note: str

    def summary(self) -> dict:
        return {
            "origin": self.origin,
            "size": self.size,
            "root": self.root.hex(),
            "signed_at": self.signed_at.strftime(TIME_FORMAT),
        }


def public_key(seed: bytes) -> bytes:
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


def key_id(name: str, key: bytes) -> bytes:
    """SHA-256(key name || 0x0A || 0x01 || public key)[:4], as c2sp.org/signed-note says."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + key).digest()[:4]


def verifier_key(name: str, key: bytes) -> str:
    """The public key as a note verifier key: name+key ID (hex)+base64(0x01 || key)."""
    return f"{name}+{key_id(name, key).hex()}+{base64.b64encode(ED25519 + key).decode()}"


def parse_verifier_key(text: str) -> tuple[str, bytes, bytes]:
    """(name, key ID, public key) of a verifier key; BadCheckpoint if it is not one."""
    try:
        # Base64 may hold "+" too: only the first two separate the parts.
        name, hint, data = text.strip().split("+", 2)
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        raise BadCheckpoint("not a verifier key (name+id+key)") from None
    if raw[:1] != ED25519 or len(raw) != 33:
        raise BadCheckpoint("the verifier key is not an Ed25519 key")
    key = raw[1:]
    if key_id(name, key).hex() != hint.lower():
        raise BadCheckpoint("the verifier key's ID does not match its key")
    return name, key_id(name, key), key


def body(origin: str, size: int, root: bytes, signed_at: datetime.datetime) -> str:
    """The note text: origin, tree size, base64 root, and the time of signing."""
    when = signed_at.astimezone(datetime.UTC).strftime(TIME_FORMAT)
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\ntime {when}\n"


def sign(origin: str, size: int, root: bytes, signed_at: datetime.datetime, seed: bytes) -> str:
    """The whole signed note."""
    text = body(origin, size, root, signed_at)
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(text.encode())
    line = base64.b64encode(key_id(origin, public_key(seed)) + signature).decode()
    return f"{text}\n{DASH} {origin} {line}\n"


def open_note(note: str, verifier: str) -> Head:
    """The head a note vouches for, once its signature by `verifier` is checked."""
    name, wanted_id, key = parse_verifier_key(verifier)
    text, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise BadCheckpoint("no blank line between the text and the signatures")
    text += "\n"
    verified = False
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise BadCheckpoint(f"not a signature line: {line[:60]!r}")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except ValueError:
            raise BadCheckpoint("a signature is not base64") from None
        if parts[1] != name or raw[:4] != wanted_id:
            continue  # another key's signature (a witness's): not ours to judge
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(raw[4:], text.encode())
        except InvalidSignature:
            raise BadCheckpoint("the signature does not verify") from None
        verified = True
    if not verified:
        raise BadCheckpoint("no signature by the expected key")
    lines = text.split("\n")[:-1]
    if len(lines) < 3:
        raise BadCheckpoint("a checkpoint has at least three lines")
    origin, size, root = lines[:3]
    if not size.isdigit() or (size.startswith("0") and size != "0"):
        raise BadCheckpoint("the tree size is not a decimal number")
    try:
        root_hash = base64.b64decode(root, validate=True)
    except ValueError:
        raise BadCheckpoint("the root hash is not base64") from None
    if len(root_hash) != 32:
        raise BadCheckpoint("the root hash is not 32 bytes")
    signed_at = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    for extension in lines[3:]:
        if extension.startswith("time "):
            try:
                signed_at = datetime.datetime.strptime(extension[5:], TIME_FORMAT).replace(
                    tzinfo=datetime.UTC
                )
            except ValueError:
                raise BadCheckpoint("the time line is not a UTC time") from None
    return Head(origin, int(size), root_hash, signed_at, note)
