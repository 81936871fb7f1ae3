"""Time to verify a downloaded record of 100,000 entries (each with a disclosed name) against
a signed checkpoint with `manage.py verify_record`.

The reference, measured in the same run, is reading and parsing the same file as JSON
Lines without checking anything: the ratio is what verification itself costs.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, environment, manage  # noqa: E402

N = 100_000

WRITE = """
import django, json, secrets, sys; django.setup()
from datetime import datetime, timedelta, UTC
from django.conf import settings
from tadamun.canonical import canonical_json
from tadamun.record import checkpoints, merkle
from tadamun.record.models import commitment
start, leaves = datetime(2026, 1, 1, tzinfo=UTC), []
with open(sys.argv[1], "w") as f:
    for n in range(1, int(sys.argv[2]) + 1):
        detail = {"organization": n, "name": {"en": f"Organization {n}"}, "country": "Syria"}
        salt = secrets.token_hex(32)
        content = {"sequence": n, "action": "imported", "statement": "bench",
                   "at": (start + timedelta(seconds=n)).isoformat(timespec="microseconds"),
                   "data": {"signature": n, "listed": True, "version": 1, "pauses_work": False,
                            "commitment": commitment(detail, salt)}}
        leaf = merkle.leaf_hash(canonical_json(content))
        leaves.append(leaf)
        f.write(json.dumps({**content, "hash": leaf.hex(),
                            "disclosed": {"detail": detail, "salt": salt}},
                           ensure_ascii=False, sort_keys=True) + "\\n")
with open(sys.argv[3], "w") as f:
    f.write(checkpoints.sign(settings.RECORD_ORIGIN, len(leaves), merkle.root(leaves),
                             start, settings.RECORD_SIGNING_KEY))
with open(sys.argv[4], "w") as f:
    f.write(checkpoints.verifier_key(settings.RECORD_ORIGIN,
                                     checkpoints.public_key(settings.RECORD_SIGNING_KEY)))
"""


def main() -> None:
    env = environment()
    manage(env, "migrate", "--noinput")
    folder = Path(tempfile.mkdtemp())
    path, checkpoint, key = folder / "record.jsonl", folder / "checkpoint", folder / "key"
    subprocess.run(
        [PYTHON, "-c", WRITE, str(path), str(N), str(checkpoint), str(key)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    started = time.perf_counter()
    parsed = [json.loads(line) for line in path.read_text().splitlines()]
    reference = time.perf_counter() - started
    assert len(parsed) == N
    started = time.perf_counter()
    result = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "verify_record",
            str(path),
            "--checkpoint",
            str(checkpoint),
            "--key",
            str(key),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    print(result.stdout.strip() or result.stderr.strip())
    print(
        f"verify_record, {N:,} entries ({path.stat().st_size / 1e6:.1f} MB): {elapsed:.2f} s "
        "(including Python and Django start-up)"
    )
    print(f"reference: reading and parsing the file only: {reference:.2f} s")
    print(f"ratio verify / parse: {elapsed / reference:.1f}")


if __name__ == "__main__":
    main()
