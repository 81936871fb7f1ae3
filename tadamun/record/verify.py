"""Checking the record: each entry against its leaf hash, each disclosure against its
commitment, each checkpoint against the tree, and the record against a statement's list.

Nothing here reads the database: the same checks run on a downloaded log, on a witness's
machine. docs/record.md says the same in prose, for a verifier in another language.
"""

import json
from collections.abc import Iterable, Sequence

from tadamun.canonical import canonical_json, sha256_hex

from . import merkle
from .checkpoints import Head

FIELDS = ("sequence", "action", "statement", "at", "data")
# Entries whose commitment names the signatory (what the public list shows for it).
NAMING = ("approved", "imported", "amended", "renamed")


def leaf_of(line: dict) -> bytes:
    return merkle.leaf_hash(canonical_json({field: line.get(field) for field in FIELDS}))


def check_log(lines: Sequence[dict]) -> tuple[list[str], list[bytes]]:
    """Problems found in the log itself, and the leaf hashes of its entries (the Merkle tree
    that checkpoints sign). No problems means each entry is what its hash says, each
    disclosure opens its commitment, and no name vanished without a "forgotten" entry."""
    problems, leaves = [], []
    forgotten: set[int] = set()
    for line in lines:
        if line.get("action") == "forgotten":
            forgotten.update((line.get("data") or {}).get("entries", []))
    for position, line in enumerate(lines, start=1):
        sequence = line.get("sequence")
        if sequence != position:
            problems.append(
                f"line {position}: holds entry {sequence} (entries are missing or out of order)"
            )
        leaf = leaf_of(line)
        leaves.append(leaf)
        if leaf.hex() != line.get("hash"):
            problems.append(f"entry {sequence}: its content does not match its hash")
        data = line.get("data") or {}
        disclosed = line.get("disclosed")
        if disclosed is not None:
            try:
                opened = sha256_hex(
                    bytes.fromhex(disclosed["salt"]), canonical_json(disclosed["detail"])
                )
            except (KeyError, TypeError, ValueError):
                opened = None
            if opened != data.get("commitment"):
                problems.append(f"entry {sequence}: its disclosure does not open its commitment")
            if sequence in forgotten:
                problems.append(f"entry {sequence}: a name said to be erased is still shown")
        elif "commitment" in data and line.get("action") in NAMING and sequence not in forgotten:
            problems.append(
                f'entry {sequence}: its name was taken away without a "forgotten" entry'
            )
    return problems, leaves


def check_heads(leaves: Sequence[bytes], heads: Sequence[Head]) -> list[str]:
    """Does the log hold the tree that each of `heads` signed?"""
    roots = merkle.roots_at(leaves, {head.size for head in heads})
    problems = []
    for head in heads:
        problems += check_head(leaves, head, roots.get(head.size))
    return problems


def check_head(leaves: Sequence[bytes], head: Head, root: bytes | None = None) -> list[str]:
    label = f"the checkpoint of {head.size} entries"
    if head.size > len(leaves):
        return [f"{label} signs {head.size} entries; the log has only {len(leaves)}"]
    if (root or merkle.root(leaves[: head.size])) != head.root:
        return [
            f"{label} (size {head.size}, signed {head.summary()['signed_at']}) does not match "
            "the log: entries it covered were changed, removed or reordered"
        ]
    return []


def check_consistency(old: Head, new: Head, proof: Sequence[bytes]) -> list[str]:
    """Does `proof` show that `new` only appended to `old`?"""
    if old.size > new.size:
        return [f"the log shrank: a checkpoint of {old.size} entries, now {new.size}"]
    if not merkle.verify_consistency(old.size, new.size, old.root, new.root, proof):
        return [
            f"the log was rewritten: the checkpoint of {old.size} entries signed "
            f"{old.summary()['signed_at']} is not a prefix of the one of {new.size} entries"
        ]
    return []


def replay(lines: Iterable[dict]) -> dict[str, dict[int, dict]]:
    """The signatures that the record says stand, by statement: {slug: {signature: facts}},
    `signature` being the record's number for it. A "moved" entry carries a statement's
    signatures over to its new address."""
    statements: dict[str, dict[int, dict]] = {}
    for line in lines:
        data = line.get("data") or {}
        action = line.get("action")
        if action == "merged":
            for signatures in statements.values():
                for signature in data.get("duplicates", []):
                    signatures.pop(signature, None)
            continue
        if action == "moved":
            statements[data.get("to")] = statements.pop(data.get("from"), {})
            continue
        signatures = statements.setdefault(line.get("statement"), {})
        standing = data.get("signature") in signatures
        if action in ("approved", "imported") or (action == "amended" and standing):
            signatures[data["signature"]] = data
        elif action in ("withdrawn", "removed"):
            signatures.pop(data.get("signature"), None)
    return statements


def disclosures(lines: Iterable[dict]) -> dict[int, dict]:
    """The latest disclosed detail of each signature (by the record's number for it): what
    the record names it as."""
    found: dict[int, dict] = {}
    for line in lines:
        signature = (line.get("data") or {}).get("signature")
        if line.get("action") in NAMING and signature is not None:
            if "disclosed" in line:
                found[signature] = line["disclosed"]["detail"]
            elif "commitment" in (line.get("data") or {}):
                found.pop(signature, None)
    return found


def check_list(lines: list[dict], public_list: dict) -> list[str]:
    """Problems between the record and a statement's public list (the JSON export)."""
    slug = public_list["statement"]
    replayed = replay(lines).get(slug, {})
    named_as = disclosures(lines)
    listed = {row["signature"]: row for row in public_list["signatories"]}
    # The list numbers a signature as its row does; the record by its own number, and the
    # disclosure says which row it is (a record begun before those numbers differed used
    # the row's number, and its disclosures do not say).
    named: dict[int, dict | None] = {}
    for signature, facts in replayed.items():
        if facts.get("listed", True):
            detail = named_as.get(signature)
            number = detail.get("signature", signature) if detail else signature
            named[number] = detail
    problems = []
    for number in sorted(set(listed) - set(named)):
        problems.append(f"{slug}: signature {number} is listed but the record never approved it")
    for number in sorted(set(named) - set(listed)):
        problems.append(f"{slug}: signature {number} is in the record but missing from the list")
    for number in sorted(set(listed) & set(named)):
        row, detail = listed[number], named[number]
        shown = {key: row.get(key) for key in ("organization", "name", "country")}
        if detail is None or {key: detail.get(key) for key in shown} != shown:
            problems.append(
                f"{slug}: signature {number} is listed as {json.dumps(shown['name'])}, "
                "which is not what the record discloses"
            )
    total = public_list["count"]["organizations"]
    if total != len(replayed):
        problems.append(
            f"{slug}: the list counts {total} organizations, the record {len(replayed)}"
        )
    return problems


def check_list_recent(
    lines: list[dict], public_list: dict, window: int = 100
) -> tuple[int, list[str]]:
    """A list downloaded before the log (as a witness does) may be a few entries behind it:
    it passes if it matches the record as it stood after one of the last `window` entries.
    Returns how many entries the list accounts for, and the problems."""
    problems = check_list(lines, public_list)
    if not problems:
        return len(lines), []
    slug = public_list["statement"]
    for size in range(len(lines) - 1, max(len(lines) - window, 0) - 1, -1):
        dropped = lines[size]
        # Only an entry about this statement (or a merge, or a move) changes what it lists.
        relevant = dropped.get("statement") == slug or dropped.get("action") in ("merged", "moved")
        if relevant and not check_list(lines[:size], public_list):
            return size, []
    return len(lines), problems


def read_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
