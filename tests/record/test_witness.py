"""A witness that kept an older checkpoint catches any rewrite of the log: entries dropped,
reordered, edited or slipped in, even when the log is then re-hashed and re-signed from
scratch with the site's own key, so that it verifies perfectly on its own."""

import base64
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tadamun.canonical import canonical_json
from tadamun.record import merkle, verify
from tadamun.record.models import Entry, sign_head
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import SignOn
from tests.factories import make_statement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    statement = make_statement()
    import_signatories(statement, [{"en": f"Organization {n}"} for n in range(5)])
    return live_server.url, statement


def witness(url, state, capsys=None) -> str:
    call_command("verify_record", "--witness", url, "--state", str(state))
    return capsys.readouterr().out if capsys else ""


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def resequence(order: list[int]) -> None:
    """Give the entries with these ids the sequences 1, 2, 3… in this order."""
    for n, pk in enumerate(order, start=1):
        sql("UPDATE record_entry SET sequence = %s WHERE id = %s", [10_000_000 + n, pk])
    sql("UPDATE record_entry SET sequence = sequence - 10000000")


def resign_from_scratch() -> None:
    """What someone holding the database and the key can do: make every hash fit the
    rewritten log, throw away the checkpoints signed before and sign a new head."""
    for entry in Entry.objects.order_by("sequence"):
        leaf = merkle.leaf_hash(canonical_json(entry.content())).hex()
        sql("UPDATE record_entry SET hash = %s WHERE id = %s", [leaf, entry.pk])
    sql("DELETE FROM record_checkpoint")
    sign_head()


def ids() -> list[int]:
    return list(Entry.objects.order_by("sequence").values_list("pk", flat=True))


def drop_the_last_entry():
    sql("DELETE FROM record_disclosure WHERE entry_id = %s", [ids()[-1]])
    sql("DELETE FROM record_entry WHERE id = %s", [ids()[-1]])


def drop_an_entry_in_the_middle():
    order = ids()
    sql("DELETE FROM record_disclosure WHERE entry_id = %s", [order[2]])
    sql("DELETE FROM record_entry WHERE id = %s", [order[2]])
    resequence(order[:2] + order[3:])


def reorder_two_entries():
    order = ids()
    order[2], order[3] = order[3], order[2]
    resequence(order)


def edit_an_entry():
    entry = Entry.objects.filter(action="imported").first()
    data = {**entry.data, "pauses_work": True}
    sql("UPDATE record_entry SET data = %s WHERE id = %s", [json.dumps(data), entry.pk])


def slip_in_an_entry():
    first = Entry.objects.get(sequence=2)
    sql(
        "INSERT INTO record_entry (sequence, action, statement_slug, at, data, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        [99_999, "approved", first.statement_slug, first.at, json.dumps(first.data), "x" * 64],
    )
    order = ids()
    resequence([order[0], order[-1], *order[1:-1]])


@pytest.mark.parametrize(
    "rewrite",
    [
        drop_the_last_entry,
        drop_an_entry_in_the_middle,
        reorder_two_entries,
        edit_an_entry,
        slip_in_an_entry,
    ],
)
def test_a_witness_holding_an_older_checkpoint_catches_a_rewritten_log(
    site, tmp_path, rewrite, capsys
):
    url, statement = site
    state = tmp_path / "witness.json"
    assert "consistent with the 0 checkpoint(s)" in witness(url, state, capsys)

    rewrite()
    resign_from_scratch()
    # On its own, the rewritten log is flawless: every hash fits and the head is signed by
    # the site's key. Only someone who kept a checkpoint from before can tell.
    lines = [e.public() for e in Entry.objects.select_related("disclosure")]
    problems, leaves = verify.check_log(lines)
    assert [p for p in problems if "name was taken away" not in p] == []

    with pytest.raises(CommandError, match="does NOT verify"):
        witness(url, state)
    error = capsys.readouterr().err
    assert "rewritten" in error or "shrank" in error or "does not match the log" in error
    # The witness kept nothing new: it still holds the checkpoint the site now contradicts.
    assert len(json.loads(state.read_text())["checkpoints"]) == 1


def test_a_witness_accepts_a_log_that_only_grew_and_keeps_each_checkpoint(site, tmp_path, capsys):
    url, statement = site
    state = tmp_path / "witness.json"
    witness(url, state)
    SignOn.objects.filter(statement=statement).first().withdraw(forget=True)
    import_signatories(statement, [{"en": "A later signatory"}])
    out = witness(url, state, capsys)
    assert "consistent with the 1 checkpoint(s)" in out
    kept = json.loads(state.read_text())
    assert len(kept["checkpoints"]) == 2
    # Inclusion of any entry in the signed tree, on request.
    call_command("verify_record", "--witness", url, "--state", str(state), "--inclusion", "3")
    assert "entry 3 is in the signed tree" in capsys.readouterr().out


def test_a_site_that_signs_with_another_key_is_caught(site, tmp_path, settings):
    url, statement = site
    state = tmp_path / "witness.json"
    witness(url, state)
    settings.RECORD_SIGNING_KEY = os.urandom(32)
    import_signatories(statement, [{"en": "After the new key"}])
    with pytest.raises(CommandError, match="does NOT verify"):
        witness(url, state)


def test_the_site_serves_the_rfc_proofs_a_witness_asks_for(site, client):
    url, statement = site
    size = Entry.objects.count()
    leaves = [bytes.fromhex(h) for h in Entry.objects.values_list("hash", flat=True)]
    answer = client.get(f"/data/record/proof/consistency?from=2&to={size}").json()
    proof = [bytes.fromhex(h) for h in answer["proof"]]
    assert merkle.verify_consistency(2, size, merkle.root(leaves[:2]), merkle.root(leaves), proof)
    answer = client.get(f"/data/record/proof/inclusion?sequence=3&size={size}").json()
    proof = [bytes.fromhex(h) for h in answer["proof"]]
    assert merkle.verify_inclusion(leaves[2], 2, size, proof, merkle.root(leaves))
    assert client.get(f"/data/record/proof/consistency?from=0&to={size + 1}").status_code == 400
    assert client.get("/data/record/proof/inclusion?sequence=x").status_code == 400
    assert base64.b64decode(client.get("/data/record/key").content.split(b"+", 2)[2])[0] == 1


def test_entries_past_the_last_checkpoint_are_reported_as_not_yet_covered(site, tmp_path, capsys):
    """The attack: a site serves entries no checkpoint signs (written straight into the
    database). Their hashes fit, since anyone can compute them; the witness must not count
    them as verified."""
    url, statement = site
    state = tmp_path / "witness.json"
    witness(url, state)
    signed = Entry.objects.count()
    last = Entry.objects.order_by("-sequence").first()
    for n in (1, 2):
        content = {**last.content(), "sequence": signed + n, "data": {"signature": 10 + n}}
        content["action"] = "withdrawn"
        sql(
            "INSERT INTO record_entry (sequence, action, statement_slug, at, data, hash) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                signed + n,
                "withdrawn",
                statement.slug,
                last.at,
                json.dumps(content["data"]),
                merkle.leaf_hash(canonical_json(content)).hex(),
            ],
        )
    out = witness(url, state, capsys)
    assert f"{signed} entries verified against" in out
    assert f"2 later entries (from {signed + 1}) are NOT YET COVERED" in out
    assert f"{signed + 2} entries verified" not in out


def test_the_witness_checks_the_lists_it_is_given(site, tmp_path, capsys):
    url, statement = site
    state = tmp_path / "witness.json"
    listed = f"{url}/data/{statement.slug}/signatories.json"
    call_command("verify_record", "--witness", url, "--state", str(state), "--list", listed)
    assert "1 public list(s) match the record" in capsys.readouterr().out
    # A name added to the list behind the record's back.
    withdrawn = SignOn.objects.filter(statement=statement).first()
    withdrawn.withdraw()
    sql("UPDATE signatures_signon SET status = 'approved' WHERE id = %s", [withdrawn.pk])
    with pytest.raises(CommandError, match="does NOT verify"):
        call_command("verify_record", "--witness", url, "--state", str(state), "--list", listed)
    assert "is listed but the record never approved it" in capsys.readouterr().err
