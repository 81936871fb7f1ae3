"""The keys that protect signers, read from outside the data directory.

A copy of DATA_DIR or of a backup (a raid, a subpoena to the host, a leaked file) must not
carry what it takes to read it. So the fingerprint key (pledge and contact fingerprints) and
the contact-data key (contact details the server still needs) are never SECRET_KEY, never in
the database and never under DATA_DIR. Each is read, in this order, from:

1. the environment: FINGERPRINT_KEY, CONTACT_KEY;
2. a file named by FINGERPRINT_KEY_FILE, CONTACT_KEY_FILE (a mounted secret);
3. systemd credentials: $CREDENTIALS_DIRECTORY/fingerprint_key, …/contact_key
   (LoadCredential= or LoadCredentialEncrypted= in the unit).

ORGANIZER_RECIPIENTS are age public keys (age1…): contact details the server no longer needs
are sealed to them, and only the organizers holding the matching private keys, on their own
machines, can read them. They are public, so the environment is the place for them.

On a laptop (not PRODUCTION) missing keys are generated once into a folder beside the data
directory, `<DATA_DIR>-keys/`, with a development organizer identity, and the first process
says so. In production a missing one is left empty, and settings.py refuses to start.

The record's signing key (tadamun/record/key.py) is read from the same places, with the
helpers here. This module is imported by settings.py, before Django is set up: the standard
library, pyrage and Django's exceptions only, nothing of the project.
"""

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyrage
from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 32
NAMES = {"fingerprint": "FINGERPRINT_KEY", "contact": "CONTACT_KEY"}


@dataclass
class SignerKeys:
    fingerprint: str
    contact: str
    organizer_recipients: list[str]
    backup_recipients: list[str]
    # Where each key came from ("environment", a file path, …), for the deploy check.
    sources: dict[str, str] = field(default_factory=dict)
    # Set when development keys are in use: the folder beside DATA_DIR that holds them.
    development_dir: Path | None = None


def development_dir(data_dir: Path) -> Path:
    """`data` → `data-keys`: beside the data directory, so a copy of it does not carry them."""
    return data_dir.with_name(data_dir.name + "-keys")


def inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def parse_recipients(text: str, name: str) -> list[str]:
    """age public keys separated by commas, spaces or lines (# starts a comment)."""
    found = []
    for line in text.splitlines():
        for item in line.split("#", 1)[0].replace(",", " ").split():
            try:
                pyrage.x25519.Recipient.from_str(item)
            except pyrage.RecipientError:
                raise ImproperlyConfigured(
                    f"{name}: {item[:20]!r}… is not an age public key (age1…); "
                    "make one with age-keygen and give its public key."
                ) from None
            found.append(item)
    return found


def _read_file(path: Path, name: str, data_dir: Path) -> str:
    if inside(path, data_dir):
        raise ImproperlyConfigured(
            f"{name} is read from {path}, inside DATA_DIR: a copy of the data would carry the "
            "key that must stay apart from it. Keep key files outside DATA_DIR."
        )
    try:
        return path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{name}: cannot read {path} ({error.strerror})") from None


def from_outside(name: str, data_dir: Path) -> tuple[str, str] | None:
    """(value, where it came from), or None when no source names it."""
    if value := os.environ.get(name, "").strip():
        return value, "environment"
    if path := os.environ.get(f"{name}_FILE", "").strip():
        return _read_file(Path(path), name, data_dir), path
    if credentials := os.environ.get("CREDENTIALS_DIRECTORY", "").strip():
        path = Path(credentials) / name.lower()
        if path.exists():
            return _read_file(path, name, data_dir), str(path)
    return None


def _write_once(path: Path, value: str) -> str:
    """Write `value` to `path` unless another process did first; the value that stays."""
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


def development_value(folder: Path, name: str, make) -> tuple[str, bool]:
    """The development value of `name` from `folder`, made now if missing; (value, made)."""
    path = folder / name
    if path.exists():
        return path.read_text().strip(), False
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return _write_once(path, make()), True


def _identity_file() -> str:
    identity = pyrage.x25519.Identity.generate()
    return (
        "# Development organizer identity for Tadamun (never use it in production).\n"
        f"# public key: {identity.to_public()}\n{identity}"
    )


def identity_public_key(text: str) -> str:
    """The public key of an age identity file's text (AGE-SECRET-KEY-1…)."""
    for line in text.splitlines():
        if line.strip().startswith("AGE-SECRET-KEY-"):
            return str(pyrage.x25519.Identity.from_str(line.strip()).to_public())
    raise ImproperlyConfigured("no AGE-SECRET-KEY line in the organizer identity file")


def load(data_dir: Path, production: bool, secret_key: str) -> SignerKeys:
    """Read the keys that protect signers; refuse what would not protect them."""
    values, sources, missing = {}, {}, []
    given = {
        "fingerprint": from_outside("FINGERPRINT_KEY", data_dir),
        "contact": from_outside("CONTACT_KEY", data_dir),
    }
    for purpose, name in NAMES.items():
        if found := given[purpose]:
            values[purpose], sources[purpose] = found
        else:
            missing.append(name)
    recipients_text = os.environ.get("ORGANIZER_RECIPIENTS", "")
    if path := os.environ.get("ORGANIZER_RECIPIENTS_FILE", "").strip():
        recipients_text += "\n" + _read_file(Path(path), "ORGANIZER_RECIPIENTS_FILE", data_dir)
    recipients = parse_recipients(recipients_text, "ORGANIZER_RECIPIENTS")
    if not recipients:
        missing.append("ORGANIZER_RECIPIENTS")
    folder = None
    if missing and production:
        # settings.py refuses to start, naming these with whatever else is missing.
        return SignerKeys(
            fingerprint=values.get("fingerprint", ""),
            contact=values.get("contact", ""),
            organizer_recipients=recipients,
            backup_recipients=[],
            sources=sources,
        )
    if missing:
        folder = development_dir(data_dir)
        made = []
        for purpose, name in NAMES.items():
            if purpose not in values:
                values[purpose], new = development_value(
                    folder, name.lower(), lambda: secrets.token_urlsafe(32)
                )
                sources[purpose] = str(folder / name.lower())
                made += [name] if new else []
        if not recipients:
            identity, new = development_value(folder, "organizer_identity.txt", _identity_file)
            recipients = [identity_public_key(identity)]
            made += ["an organizer identity"] if new else []
        if made:
            print(
                f"Tadamun: development keys ({', '.join(made)}) generated in {folder}, beside "
                "the data directory and never inside it. Production reads its own from the "
                "environment or key files (docs/deploy.md).",
                file=sys.stderr,
            )
    for purpose, name in NAMES.items():
        if len(values[purpose]) < MIN_LENGTH:
            raise ImproperlyConfigured(f"{name} must be at least {MIN_LENGTH} characters long.")
        if values[purpose] == secret_key:
            raise ImproperlyConfigured(
                f"{name} must differ from SECRET_KEY (SECRET_KEY often sits beside the data)."
            )
    if values["fingerprint"] == values["contact"]:
        raise ImproperlyConfigured("FINGERPRINT_KEY and CONTACT_KEY must differ.")
    backup = parse_recipients(os.environ.get("BACKUP_RECIPIENTS", ""), "BACKUP_RECIPIENTS")
    return SignerKeys(
        fingerprint=values["fingerprint"],
        contact=values["contact"],
        organizer_recipients=recipients,
        backup_recipients=backup or recipients,
        sources=sources,
        development_dir=folder,
    )


def read_identities(path: Path) -> list:
    """The age identities (AGE-SECRET-KEY-1…) in an identity file, as age-keygen writes it."""
    found = [
        pyrage.x25519.Identity.from_str(line.strip())
        for line in Path(path).read_text().splitlines()
        if line.strip().startswith("AGE-SECRET-KEY-")
    ]
    if not found:
        raise ImproperlyConfigured(f"no age identity (AGE-SECRET-KEY-1…) in {path}")
    return found


def deploy_checks(app_configs=None, **kwargs) -> list:
    """`manage.py check --deploy`: errors when signers' keys or data would not be protected."""
    from django.conf import settings
    from django.core import checks

    problems = []
    signer_keys = settings.SIGNER_KEYS
    if signer_keys.development_dir:
        problems.append(
            checks.Error(
                f"The keys that protect signers are development keys from "
                f"{signer_keys.development_dir}.",
                hint="Set FINGERPRINT_KEY, CONTACT_KEY and ORGANIZER_RECIPIENTS from outside "
                "the server's disk (systemd credentials or a mounted secret): docs/deploy.md.",
                id="tadamun.E001",
            )
        )
    data_dir = Path(settings.DATA_DIR)
    loose = [p for p in [data_dir, *data_dir.rglob("*")] if p.stat().st_mode & 0o077]
    if loose:
        problems.append(
            checks.Error(
                f"{len(loose)} file(s) in DATA_DIR can be read by other accounts, "
                f"for example {loose[0]}.",
                hint=f"chmod -R go= {data_dir}",
                id="tadamun.E002",
            )
        )
    if settings.EMAIL_BACKEND.endswith(("filebased.EmailBackend", "devmail.EmailBackend")):
        problems.append(
            checks.Error(
                "E-mail is written to files on the server.",
                hint="Set EMAIL_HOST.",
                id="tadamun.E003",
            )
        )
    return problems
