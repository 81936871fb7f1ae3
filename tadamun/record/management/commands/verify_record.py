"""Verify the public record: its entries, its disclosures, its signed checkpoints, that it was
only ever appended to, and that it accounts for each statement's public list."""

import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tadamun.record import checkpoints, merkle
from tadamun.record.checkpoints import BadCheckpoint, Head
from tadamun.record.verify import (
    check_consistency,
    check_heads,
    check_list,
    check_list_recent,
    check_log,
    read_lines,
)


def load(source: str) -> str:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310
            return response.read().decode()
    with open(source, encoding="utf-8") as f:
        return f.read()


def witness_state_path(site: str) -> Path:
    host = urllib.parse.urlsplit(site).netloc.replace(":", "_") or "site"
    home = Path(os.environ.get("TADAMUN_WITNESS_DIR", Path.home() / ".tadamun-witness"))
    return home / f"{host}.json"


class Command(BaseCommand):
    help = (
        "Check a record (JSON Lines, a path or URL) against itself, its signed checkpoints and "
        "statements' public lists. Without a record, checks this site's own database. With "
        "--witness URL, acts as a witness of another site: keeps every checkpoint it sees and "
        "proves that the site's log was only appended to since."
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
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            dest="checkpoints",
            help="path or URL of a signed checkpoint that the record must hold (repeatable)",
        )
        parser.add_argument("--key", help="the verifier key (text, path or URL) of checkpoints")
        parser.add_argument(
            "--inclusion",
            type=int,
            action="append",
            default=[],
            metavar="SEQUENCE",
            help="also prove that entry SEQUENCE is in the latest checkpoint (repeatable)",
        )
        parser.add_argument("--witness", metavar="URL", help="the site to witness")
        parser.add_argument(
            "--state",
            help="where the witness keeps the checkpoints it saw "
            "(default ~/.tadamun-witness/HOST.json, or $TADAMUN_WITNESS_DIR)",
        )

    def handle(self, *args, record=None, lists=(), witness=None, **options):
        if witness:
            problems, summary = self.witness(witness.rstrip("/"), lists, options)
        elif record:
            problems, summary = self.offline(record, lists, options)
        else:
            problems, summary = self.own_database(options)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"the record does NOT verify: {len(problems)} problem(s)")
        self.stdout.write("OK: " + "; ".join(summary))
        sys.stdout.flush()

    # The three ways to run it -------------------------------------------------------

    def own_database(self, options):
        from tadamun.record.models import Checkpoint, Entry, public_lists, verifier_key

        lines = [e.public() for e in Entry.objects.select_related("disclosure").order_by("pk")]
        vkey = verifier_key()
        heads, problems = [], []
        for stored in Checkpoint.objects.order_by("pk"):
            try:
                heads.append(checkpoints.open_note(stored.note, vkey))
            except BadCheckpoint as error:
                problems.append(f"checkpoint #{stored.pk}: {error}")
        documents = [doc for _r, found in public_lists.send(sender=None) for doc in found]
        problems += self.check_all(lines, heads, documents, options["inclusion"])
        return problems, self.summary(lines, heads, len(documents))

    def offline(self, record, lists, options):
        lines = read_lines(load(record))
        documents = [json.loads(load(source)) for source in lists]
        heads, problems = [], []
        if options["checkpoints"]:
            if not options["key"]:
                raise CommandError("--checkpoint needs --key (the site's /data/record/key)")
            vkey = self.read_key(options["key"])
            for source in options["checkpoints"]:
                try:
                    heads.append(checkpoints.open_note(load(source), vkey))
                except (BadCheckpoint, OSError) as error:
                    problems.append(f"{source}: {error}")
        problems += self.check_all(lines, heads, documents, options["inclusion"])
        return problems, self.summary(lines, heads, len(documents))

    def witness(self, site, lists, options):
        path = Path(options["state"]) if options["state"] else witness_state_path(site)
        state = json.loads(path.read_text()) if path.exists() else {"site": site}
        problems = []
        vkey = load(f"{site}/data/record/key").strip()
        if state.get("key") and state["key"] != vkey:
            problems.append(
                "the site now signs with another key than the one this witness pinned: a "
                "rewritten record signed from scratch looks exactly like this"
            )
            vkey = state["key"]
        # The lists first, then the checkpoint, then the log: each is at least as new as the
        # one before, so the log holds all that the checkpoint signed, and each list matches
        # the log as it stood at some entry (check_list_recent).
        documents = [json.loads(load(source)) for source in lists]
        try:
            head = checkpoints.open_note(load(f"{site}/data/record/checkpoint"), vkey)
        except BadCheckpoint as error:
            return [*problems, f"the site's checkpoint: {error}"], []
        kept = [checkpoints.open_note(note, vkey) for note in state.get("checkpoints", [])]
        if kept:
            # Earlier runs proved the kept ones consistent with each other; the largest
            # stands for them all. The log check below holds every one of them against it.
            problems += self.prove_appended(site, max(kept, key=lambda h: h.size), head)
        lines = read_lines(load(f"{site}/data/record.jsonl"))
        problems += self.check_all(lines, [*kept, head], [], options["inclusion"])
        for document in documents:
            _size, found = check_list_recent(lines, document)
            problems += found
        if problems:
            # Keep the evidence: the checkpoints kept before are two signed, contradicting
            # statements by the site once the new one is saved beside them by hand.
            self.stderr.write("The site's checkpoint now:\n" + head.note)
            return problems, []
        if head.note not in state.get("checkpoints", []):
            state["checkpoints"] = [*state.get("checkpoints", []), head.note]
        state["key"] = vkey
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(state, indent=1, ensure_ascii=False))
        return [], [
            f"{site} signs {head.size} entries (root {head.root.hex()[:16]}…, "
            f"{head.summary()['signed_at']})",
            f"consistent with the {len(kept)} checkpoint(s) this witness kept in {path}",
            *self.summary(lines, [*kept, head], len(documents)),
        ]

    # Pieces --------------------------------------------------------------------------

    def read_key(self, source: str) -> str:
        if source.startswith(("http://", "https://")) or Path(source).exists():
            return load(source).strip()
        return source.strip()

    def prove_appended(self, site: str, old: Head, new: Head) -> list[str]:
        """Ask the site for a consistency proof from a kept checkpoint to its new one."""
        if old.size > new.size:
            return [
                f"the log shrank: this witness kept {old.size} entries, the site signs {new.size}"
            ]
        if old.size == new.size or old.size == 0:
            return check_consistency(old, new, [])
        try:
            answer = json.loads(
                load(f"{site}/data/record/proof/consistency?from={old.size}&to={new.size}")
            )
            proof = [bytes.fromhex(node) for node in answer["proof"]]
        except (OSError, ValueError, KeyError) as error:
            return [f"no consistency proof from {old.size} to {new.size}: {error}"]
        return check_consistency(old, new, proof)

    def check_all(self, lines, heads, documents, inclusions) -> list[str]:
        problems, leaves = check_log(lines)
        # Each checkpoint's root recomputed from the log: together they prove that every two
        # of them are consistent. The oldest and newest are also checked the RFC's way, by a
        # consistency proof built from the log, as a witness without the log would.
        problems += check_heads(leaves, heads)
        ordered = sorted(heads, key=lambda h: (h.size, h.signed_at))
        if ordered and 0 < ordered[0].size < ordered[-1].size <= len(leaves):
            old, new = ordered[0], ordered[-1]
            proof = merkle.consistency_proof(leaves[: new.size], old.size)
            problems += check_consistency(old, new, proof)
        if inclusions:
            latest = ordered[-1] if ordered else None
            for sequence in inclusions:
                problems += self.prove_included(leaves, latest, sequence)
        for document in documents:
            problems += check_list(lines, document)
        return problems

    def prove_included(self, leaves, head: Head | None, sequence: int) -> list[str]:
        if head is None:
            return ["--inclusion needs a checkpoint"]
        if not 0 < sequence <= head.size <= len(leaves):
            return [f"entry {sequence} is not covered by the checkpoint of {head.size} entries"]
        proof = merkle.inclusion_proof(leaves[: head.size], sequence - 1)
        if not merkle.verify_inclusion(
            leaves[sequence - 1], sequence - 1, head.size, proof, head.root
        ):
            return [f"entry {sequence} is not in the signed tree"]
        self.stdout.write(
            f"entry {sequence} is in the signed tree of {head.size}: "
            + " ".join(node.hex() for node in proof)
        )
        return []

    def summary(self, lines, heads, lists: int) -> list[str]:
        """What was verified, and what was not: an entry counts as verified only when a
        signed checkpoint covers it. Anyone can write a log whose hashes fit."""
        covered = max((head.size for head in heads), default=0)
        if heads:
            parts = [
                f"{covered} entries verified against {len(heads)} signed checkpoint(s) "
                "that match the log and each other"
            ]
        else:
            parts = [
                f"{len(lines)} entries match their own hashes, but no signed checkpoint "
                "vouches for them: NOT verified (give --checkpoint and --key)"
            ]
        if heads and len(lines) > covered:
            parts.append(
                f"{len(lines) - covered} later entries (from {covered + 1}) are NOT YET "
                "COVERED by a signed checkpoint: not verified; check again later"
            )
        if lists:
            parts.append(f"{lists} public list(s) match the record")
        return parts
