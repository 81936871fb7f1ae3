"""Make a consistent backup of the database while the site runs.

SQLite: the online backup API copies a consistent snapshot page by page while writers go on.
PostgreSQL: pg_dump, which reads one consistent snapshot, in its custom format.
"""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_url(settings_dict: dict, name: str | None = None) -> str:
    auth = settings_dict["USER"] + (
        f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    )
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgresql://{auth}@{host}:{port}/{name or settings_dict['NAME']}"


class Command(BaseCommand):
    help = "Write a consistent backup of the database to PATH (safe while the site runs)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        target = Path(path)
        if connection.vendor == "sqlite":
            source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy, pages=256)
            copy.close()
            source.close()
        elif connection.vendor == "postgresql":
            done = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(target),
                    "--dbname",
                    pg_url(connection.settings_dict),
                ],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            raise CommandError(f"no backup method for {connection.vendor}")
        self.stdout.write(f"backup written to {target} ({target.stat().st_size:,} bytes)")
