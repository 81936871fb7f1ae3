"""Restore a backup made by `manage.py backup` over the current database."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import pg_url


class Command(BaseCommand):
    help = "Replace the database with the backup at PATH. Stop the site first."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"no backup at {source}")
        if not yes and input("This replaces the whole database. Type yes: ").strip() != "yes":
            raise CommandError("nothing restored")
        connection.close()
        if connection.vendor == "sqlite":
            backup = sqlite3.connect(source)
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
                    str(source),
                ],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise CommandError(f"pg_restore failed: {done.stderr.strip()}")
        else:
            raise CommandError(f"no restore method for {connection.vendor}")
        self.stdout.write(f"restored from {source}")
