"""docs/record.md must be enough to write a verifier. This one is written from the doc alone,
in plain Python with SHA-256 and Ed25519 (no import from tadamun.record), and run against
what the site publishes after every kind of entry that changes a list: approvals, a merge,
a move to a new web address, a withdrawal with erasure."""

import base64
import hashlib
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import SignOn
from tests.factories import make_statement
from tests.record.test_public_changes import change_in_admin, change_statement

pytestmark = pytest.mark.django_db


# The verifier, from the doc ---------------------------------------------------------------


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def leaf_hash(line: dict) -> bytes:
    fields = ("sequence", "action", "statement", "at", "data")
    return sha256(b"\x00", canonical({field: line[field] for field in fields}))


def tree_hash(leaves: list[bytes]) -> bytes:
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha256(b"\x01", tree_hash(leaves[:k]), tree_hash(leaves[k:]))


def read_key(text: str) -> tuple[str, bytes, bytes]:
    name, key_id, encoded = text.strip().split("+")
    raw = base64.b64decode(encoded)
    assert raw[0] == 1 and len(raw) == 33
    assert bytes.fromhex(key_id) == sha256(name.encode(), b"\n\x01", raw[1:])[:4]
    return name, bytes.fromhex(key_id), raw[1:]


def read_checkpoint(note: str, key: str) -> tuple[int, bytes]:
    name, key_id, public = read_key(key)
    text, signatures = note.split("\n\n", 1)
    text += "\n"
    origin, size, root, when = text.splitlines()
    assert when.startswith("time ")
    for line in signatures.splitlines():
        dash, signer, encoded = line.split(" ")
        raw = base64.b64decode(encoded)
        if dash == "\u2014" and signer == name and raw[:4] == key_id:
            Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], text.encode())
            return int(size), base64.b64decode(root)
    raise AssertionError("no signature by the key")


def verify(lines: list[dict], checkpoint: str, key: str, lists: list[dict]) -> list[str]:
    problems = []
    forgotten = {
        n for line in lines if line["action"] == "forgotten" for n in line["data"]["entries"]
    }
    for i, line in enumerate(lines, start=1):
        if line["sequence"] != i or leaf_hash(line).hex() != line["hash"]:
            problems.append(f"entry {i}")
        if "disclosed" in line:
            opened = sha256(
                bytes.fromhex(line["disclosed"]["salt"]), canonical(line["disclosed"]["detail"])
            ).hex()
            if opened != line["data"].get("commitment") or i in forgotten:
                problems.append(f"disclosure {i}")
        elif "commitment" in line["data"] and i not in forgotten and line["action"] != "forgotten":
            problems.append(f"name gone without a trace {i}")
    try:
        size, root = read_checkpoint(checkpoint, key)
    except (AssertionError, InvalidSignature, ValueError):
        return [*problems, "checkpoint"]
    if size > len(lines) or tree_hash([leaf_hash(line) for line in lines[:size]]) != root:
        problems.append("checkpoint does not match")
    statements: dict[str, dict] = {}
    details: dict[int, dict | None] = {}
    for line in lines:
        action, data = line["action"], line["data"]
        if action == "merged":
            for standing in statements.values():
                for number in data["duplicates"]:
                    standing.pop(number, None)
        elif action == "moved":
            statements[data["to"]] = statements.pop(data["from"], {})
        else:
            standing = statements.setdefault(line["statement"], {})
            if action in ("approved", "imported") or (
                action == "amended" and data["signature"] in standing
            ):
                standing[data["signature"]] = data
            elif action in ("withdrawn", "removed"):
                standing.pop(data["signature"], None)
        if action in ("approved", "imported", "amended", "renamed") and "commitment" in data:
            details[data["signature"]] = line.get("disclosed", {}).get("detail")
    for public in lists:
        standing = statements.get(public["statement"], {})
        expected = {}
        for number, facts in standing.items():
            if facts["listed"]:
                detail = details.get(number) or {}
                expected[detail.get("signature", number)] = {
                    key: detail.get(key) for key in ("organization", "name", "country")
                }
        shown = {
            row["signature"]: {key: row[key] for key in ("organization", "name", "country")}
            for row in public["signatories"]
        }
        if shown != expected or public["count"]["organizations"] != len(standing):
            problems.append(f"list of {public['statement']}")
    return problems


# The site ---------------------------------------------------------------------------------


def published(client, slugs) -> tuple[list[dict], str, str, list[dict]]:
    def get(path):
        response = client.get(path)
        return b"".join(response.streaming_content) if response.streaming else response.content

    lines = [json.loads(line) for line in get("/data/record.jsonl").decode().splitlines()]
    lists = [json.loads(get(f"/data/{slug}/signatories.json")) for slug in slugs]
    return lines, get("/data/record/checkpoint").decode(), get("/data/record/key").decode(), lists


def test_a_verifier_written_from_the_doc_agrees_with_the_site(client, admin_client):
    one, two = make_statement(), make_statement()
    import_signatories(one, [{"en": "Hope Team"}, {"en": "Masar"}, {"en": "Hope Teem"}])
    import_signatories(two, [{"en": "Hope Teem"}, {"en": "Kesh Malek"}])
    counted = SignOn.objects.get(statement=two, organization__name__en="Kesh Malek")
    path = f"/admin/signatures/signon/{counted.pk}/change/"
    change_in_admin(admin_client, path, "signon_form", listing="counted", country="Syria")
    assert verify(*published(client, [one.slug, two.slug])) == []

    hope = SignOn.objects.get(statement=one, organization__name__en="Hope Team").organization
    hope.merge(SignOn.objects.get(statement=two, organization__name__en="Hope Teem").organization)
    change_statement(admin_client, one, slug="hope-everywhere")
    SignOn.objects.get(statement=one, organization__name__en="Masar").withdraw(forget=True)
    one.refresh_from_db()
    lines, checkpoint, key, lists = published(client, [one.slug, two.slug])
    actions = {line["action"] for line in lines}
    assert {"merged", "renamed", "moved", "forgotten", "amended"} <= actions
    merged = next(line for line in lines if line["action"] == "merged")
    assert len(merged["data"]["duplicates"]) == 1
    assert verify(lines, checkpoint, key, lists) == []

    # And it catches what the doc says it catches.
    padded = json.loads(json.dumps(lists))
    padded[0]["signatories"].append({**padded[0]["signatories"][0], "signature": 999})
    assert verify(lines, checkpoint, key, padded) == ["list of hope-everywhere"]
    edited = json.loads(json.dumps(lines))
    edited[1]["data"]["listed"] = False
    assert "entry 2" in verify(edited, checkpoint, key, lists)
    assert verify(lines, checkpoint.replace("\n", "\n\n", 1)[:-3], key, lists)
