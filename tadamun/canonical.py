"""Canonical JSON: the one byte form every hash in Tadamun is computed over (a version's
content hash, each record entry's hash), so that anyone can recompute them (docs/record.md)."""

import hashlib
import json


def canonical_json(value) -> bytes:
    """`value` as JSON with keys sorted, no spaces (separators "," and ":"), non-ASCII
    characters written as themselves, UTF-8 encoded."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def sha256_hex(*parts: bytes) -> str:
    return hashlib.sha256(b"".join(parts)).hexdigest()
