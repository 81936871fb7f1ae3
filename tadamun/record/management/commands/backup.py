"""Make a consistent, encrypted backup of the database while the site runs.

SQLite: the online backup API copies a consistent snapshot page by page while writers go on,
into memory. PostgreSQL: pg_dump, which reads one consistent snapshot, in its custom format.
Either way the snapshot is encrypted with age for BACKUP_RECIPIENTS (or --to) before anything
touches the disk: a stolen backup gives nothing without a private key, and those keys are
never on the server. The keys that protect signers are not in the database, so not in the
backup either: keep them apart (docs/deploy.md).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tadamun import keys


def pg_url(settings_dict: dict, name: str | None = None) -> str:
    auth = settings_dict["USER"] + (
        f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    )
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgresql://{auth}@{host}:{port}/{name or settings_dict['NAME']}"


def snapshot() -> bytes:
    """The whole database, consistent, in memory."""
    if connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
        copy = sqlite3.connect(":memory:")
        with copy:
            source.backup(copy, pages=256)
        data = bytearray(copy.serialize())
        copy.close()
        source.close()
        # The header still says "WAL" (bytes 18-19), which a database opened from memory
        # cannot use: mark it a rollback-journal file; the site turns WAL on when it opens it.
        if data[18:20] == b"\x02\x02":
            data[18:20] = b"\x01\x01"
        return bytes(data)
    if connection.vendor == "postgresql":
        done = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--dbname",
                pg_url(connection.settings_dict),
            ],
            capture_output=True,
        )
        if done.returncode:
            raise CommandError(f"pg_dump failed: {done.stderr.decode().strip()}")
        return done.stdout
    raise CommandError(f"no backup method for {connection.vendor}")


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to PATH, encrypted with age for "
        "BACKUP_RECIPIENTS or the public keys given with --to (safe while the site runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--to",
            action="append",
            default=[],
            metavar="AGE_PUBLIC_KEY",
            help="an age public key (age1…) that may decrypt the backup; may be repeated",
        )

    def handle(self, *args, path, to, **options):
        recipients = keys.parse_recipients(" ".join(to), "--to") or settings.BACKUP_RECIPIENTS
        if not recipients:
            raise CommandError("no recipient: give --to age1… or set BACKUP_RECIPIENTS")
        encrypted = pyrage.encrypt(
            snapshot(), [pyrage.x25519.Recipient.from_str(r) for r in recipients]
        )
        target = Path(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(encrypted)
        self.stdout.write(
            f"encrypted backup written to {target} ({len(encrypted):,} bytes) for "
            f"{len(recipients)} key(s)"
        )
