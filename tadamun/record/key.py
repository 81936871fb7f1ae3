"""The key that signs the record's checkpoints, read from outside the data directory.

Whoever holds a copy of DATA_DIR or of a backup must not be able to sign a rewritten record
with the site's key. The key is read, in this order, from:

1. the environment: RECORD_SIGNING_KEY;
2. a file named by RECORD_SIGNING_KEY_FILE (a mounted secret);
3. systemd credentials: $CREDENTIALS_DIRECTORY/record_signing_key.

Its form is the base64 of a 32-byte Ed25519 seed; `python -m tadamun.record.key` makes one
and prints the public verifier key. On a laptop (not PRODUCTION) a missing key is generated
once into the folder beside the data directory, `<DATA_DIR>-keys/`, where the other
development keys live. Production refuses to start without it.

Imported by settings.py before Django is set up: the standard library, `cryptography` and
tadamun.keys (which reads every key kept outside the data) only.
"""

import base64
import binascii
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tadamun import keys

NAME = "RECORD_SIGNING_KEY"


def decode(value: str) -> bytes:
    try:
        seed = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured(
            f"{NAME} must be the base64 of 32 random bytes (make one with "
            "`python -m tadamun.record.key`)."
        )
    return seed


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def load(data_dir: Path, production: bool) -> bytes:
    """The 32-byte Ed25519 seed that signs checkpoints."""
    if found := keys.from_outside(NAME, data_dir):
        return decode(found[0])
    if production:
        raise ImproperlyConfigured(
            f"{NAME} must be set in production: the record's checkpoints are signed with it "
            "(docs/record.md, docs/deploy.md). Keep it outside DATA_DIR."
        )
    folder = keys.development_dir(data_dir)
    value, made = keys.development_value(folder, NAME.lower(), new_key)
    if made:
        print(
            f"Tadamun: a development key for the record's checkpoints was generated in "
            f"{folder / NAME.lower()}, beside the data directory and never inside it. "
            f"Production reads its own from the environment or a key file ({NAME}, "
            f"{NAME}_FILE).",
            file=sys.stderr,
        )
    return decode(value)


if __name__ == "__main__":
    # Not through manage.py: production settings refuse to load before the key exists.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    secret = new_key()
    public = (
        Ed25519PrivateKey.from_private_bytes(base64.b64decode(secret))
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    print(f"{NAME}={secret}")
    print(f"# public key (base64): {base64.b64encode(public).decode()}", file=sys.stderr)
    print("# Keep the first line secret, outside DATA_DIR; publish nothing of it.", file=sys.stderr)
