"""Checking the record: the chain of hashes, and that it accounts for the public list.

The algorithm, which anyone can re-implement (docs/record.md says it in prose):
1. Each line of the log is a JSON object with the fields sequence, action, statement, at,
   data, previous_hash and hash.
2. Lines are numbered 1, 2, 3… without gaps; the first line's previous_hash is 64 zeros and
   each later line's previous_hash is the hash of the line before.
3. A line's hash is the SHA-256 (hex) of: its previous_hash, a newline, and the JSON of
   {sequence, action, statement, at, data} with keys sorted, no spaces (separators "," and
   ":"), non-ASCII characters written as themselves, UTF-8 encoded.
4. Replaying a statement's lines gives its signatures: "approved" and "imported" add the
   signature, "withdrawn" removes it, "merged" removes the signatures it lists under
   "duplicates". The public list must name exactly the replayed signatures that are listed by
   name, and the public count must equal the number of replayed signatures.
"""

import json
from collections.abc import Iterable

from .models import GENESIS, entry_hash

FIELDS = ("sequence", "action", "statement", "at", "data")


def check_chain(lines: Iterable[dict]) -> list[str]:
    """Problems found in the chain itself; an empty list means it is intact."""
    problems = []
    previous = GENESIS
    expected = 1
    for line in lines:
        sequence = line.get("sequence")
        if sequence != expected:
            problems.append(f"entry {sequence}: expected entry {expected} (an entry is missing)")
            expected = sequence if isinstance(sequence, int) else expected
        if line.get("previous_hash") != previous:
            problems.append(f"entry {sequence}: does not chain onto the entry before it")
        content = {field: line.get(field) for field in FIELDS}
        if entry_hash(line.get("previous_hash", ""), content) != line.get("hash"):
            problems.append(f"entry {sequence}: its content does not match its hash")
        previous = line.get("hash")
        expected += 1
    return problems


def replay(lines: Iterable[dict], statement: str) -> dict[int, dict]:
    """The signatures of `statement` that the record says are on it: {signature: facts}."""
    signatures: dict[int, dict] = {}
    for line in lines:
        data = line.get("data") or {}
        if line.get("action") == "merged":
            for signature in data.get("duplicates", []):
                signatures.pop(signature, None)
            continue
        if line.get("statement") != statement:
            continue
        if line["action"] in ("approved", "imported"):
            signatures[data["signature"]] = data
        elif line["action"] == "withdrawn":
            signatures.pop(data["signature"], None)
    return signatures


def check_list(lines: list[dict], public_list: dict) -> list[str]:
    """Problems between the record and a statement's public list (the JSON export)."""
    slug = public_list["statement"]
    replayed = replay(lines, slug)
    listed = {row["signature"] for row in public_list["signatories"]}
    named = {sig for sig, facts in replayed.items() if facts.get("listed", True)}
    problems = []
    for signature in sorted(listed - named):
        problems.append(f"{slug}: signature {signature} is listed but the record never approved it")
    for signature in sorted(named - listed):
        problems.append(f"{slug}: signature {signature} is in the record but missing from the list")
    total = public_list["count"]["organizations"]
    if total != len(replayed):
        problems.append(
            f"{slug}: the list counts {total} organizations, the record {len(replayed)}"
        )
    return problems


def read_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
