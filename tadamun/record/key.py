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

Imported by settings.py before Django is set up: standard library and `cryptography` only.
"""

import base64
import binascii
import os
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

NAME = "RECORD_SIGNING_KEY"


def development_dir(data_dir: Path) -> Path:
    """`data` → `data-keys`: beside the data directory, so that a copy of it lacks the key."""
    return data_dir.with_name(data_dir.name + "-keys")


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _read_file(path: Path, data_dir: Path) -> str:
    if _inside(path, data_dir):
        raise ImproperlyConfigured(
            f"{NAME} is read from {path}, inside DATA_DIR: a copy of the data would carry the "
            "key that vouches for it. Keep the key file outside DATA_DIR."
        )
    try:
        return path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{NAME}: cannot read {path} ({error.strerror})") from None


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


def _write_once(path: Path, value: str) -> str:
    """Write `value` unless another process did first; the value that stays."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text().strip()


def load(data_dir: Path, production: bool) -> bytes:
    """The 32-byte Ed25519 seed that signs checkpoints."""
    if value := os.environ.get(NAME, "").strip():
        return decode(value)
    if path := os.environ.get(f"{NAME}_FILE", "").strip():
        return decode(_read_file(Path(path), data_dir))
    if credentials := os.environ.get("CREDENTIALS_DIRECTORY", "").strip():
        path = Path(credentials) / NAME.lower()
        if path.exists():
            return decode(_read_file(path, data_dir))
    if production:
        raise ImproperlyConfigured(
            f"{NAME} must be set in production: the record's checkpoints are signed with it "
            "(docs/record.md, docs/deploy.md). Keep it outside DATA_DIR."
        )
    folder = development_dir(data_dir)
    path = folder / NAME.lower()
    if path.exists():
        return decode(path.read_text())
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = _write_once(path, new_key())
    print(
        f"Tadamun: a development key for the record's checkpoints was generated in {path}, "
        "beside the data directory and never inside it. Production reads its own from the "
        f"environment or a key file ({NAME}, {NAME}_FILE).",
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
