"""Restore a backup made by `manage.py backup` over the current database."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tadamun import keys

from .backup import pg_url


def default_identity() -> str:
    """BACKUP_IDENTITY_FILE, else on a laptop the development organizer identity."""
    if path := os.environ.get("BACKUP_IDENTITY_FILE"):
        return path
    folder = settings.SIGNER_KEYS.development_dir
    return str(folder / "organizer_identity.txt") if folder else ""


class Command(BaseCommand):
    help = (
        "Replace the database with the encrypted backup at PATH, decrypted with the age "
        "identity file given with --identity. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--identity",
            default=default_identity(),
            help="age identity file (AGE-SECRET-KEY-1…) matching a key the backup was made for",
        )
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, identity, yes, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"no backup at {source}")
        if not identity:
            raise CommandError("give --identity (or BACKUP_IDENTITY_FILE): the backup is encrypted")
        try:
            data = pyrage.decrypt(source.read_bytes(), keys.read_identities(Path(identity)))
        except pyrage.DecryptError as error:
            raise CommandError(f"the backup does not decrypt with {identity}: {error}") from None
        if not yes and input("This replaces the whole database. Type yes: ").strip() != "yes":
            raise CommandError("nothing restored")
        connection.close()
        if connection.vendor == "sqlite":
            backup = sqlite3.connect(":memory:")
            backup.deserialize(data)
            target = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
            with target:
                backup.backup(target)
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
            target.close()
            backup.close()
            if check != "ok":
                raise CommandError(f"the restored database fails its integrity check: {check}")
        elif connection.vendor == "postgresql":
            done = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    pg_url(connection.settings_dict),
                ],
                input=data,
                capture_output=True,
            )
            if done.returncode:
                raise CommandError(f"pg_restore failed: {done.stderr.decode().strip()}")
        else:
            raise CommandError(f"no restore method for {connection.vendor}")
        self.stdout.write(f"restored from {source}")
