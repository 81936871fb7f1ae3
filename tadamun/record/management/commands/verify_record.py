"""Verify the public record: its hash chain, and that it accounts for a statement's list."""

import json
import sys
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from tadamun.record.verify import check_chain, check_list, read_lines


def load(source: str) -> str:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310
            return response.read().decode()
    with open(source, encoding="utf-8") as f:
        return f.read()


class Command(BaseCommand):
    help = (
        "Check a downloaded record (JSON Lines) against itself, and optionally against the "
        "public list of a statement (its JSON export). Without a file, checks this site's "
        "own record and the current lists of all its statements."
    )

    def add_arguments(self, parser):
        parser.add_argument("record", nargs="?", help="path or URL of record.jsonl")
        parser.add_argument(
            "--list",
            action="append",
            default=[],
            dest="lists",
            help="path or URL of a statement's signatories.json (may be repeated)",
        )

    def handle(self, *args, record=None, lists=(), **options):
        if record:
            lines = read_lines(load(record))
            public_lists = [json.loads(load(source)) for source in lists]
        else:
            from tadamun.record.models import Entry
            from tadamun.statements.exports import public_list_document
            from tadamun.statements.models import Statement

            lines = [entry.public() for entry in Entry.objects.order_by("sequence").iterator()]
            public_lists = [
                public_list_document(statement) for statement in Statement.objects.public()
            ]
        problems = check_chain(lines)
        for public_list in public_lists:
            problems += check_list(lines, public_list)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"the record does NOT verify: {len(problems)} problem(s)")
        self.stdout.write(
            f"OK: {len(lines)} entries chain correctly"
            + (f"; {len(public_lists)} public list(s) match the record" if public_lists else "")
        )
        sys.stdout.flush()
