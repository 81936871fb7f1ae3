"""Peak memory of streaming the public list as CSV and JSON with 1,000,000 signatures.

The reference, measured in the same run, is the same export with 10,000 signatures: memory
that does not grow with the list gives a ratio near 1.
"""

import json
import subprocess
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, environment, manage  # noqa: E402

SIZES = (10_000, 1_000_000)

FILL = """
import django, sys; django.setup()
from django.db import connection, transaction
from tests.factories import make_statement
for n in map(int, sys.argv[1:]):
    with transaction.atomic():
        s = make_statement(slug=f"bench-{n}")
        with connection.cursor() as c:
            c.execute("SELECT COALESCE(MAX(id), 0) FROM signatures_organization")
            base = c.fetchone()[0]
            c.execute(
                "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s) "
                "INSERT INTO signatures_organization "
                "(id, name, country, city, website, created_at) "
                "SELECT %s + i, json_object('en', 'Organization ' || i), 'Syria', '', '', "
                "CURRENT_TIMESTAMP FROM seq", [n, base])
            c.execute(
                "INSERT INTO signatures_signon (statement_id, organization_id, version_id, "
                "submitted_name, country, city, website, contact_name, contact_email, "
                "contact_role, contact_hash, "
                "listing, pauses_work, language, status, reason, imported, created_at, "
                "confirm_nonce, withdraw_nonce, reconfirm_nonce, mails_sent) "
                "SELECT %s, id, %s, name, 'Syria', '', '', '', '', '', '', 'named', 0, 'en', "
                "'approved', '', 1, CURRENT_TIMESTAMP, 'x', 'x', 'x', 0 "
                "FROM signatures_organization WHERE id > %s",
                [s.pk, s.current_version_id, base])
"""

MEASURE = """
import django, resource, sys, time, tracemalloc; django.setup()
from django.test import Client
slug, kind = sys.argv[1], sys.argv[2]
client = Client(HTTP_HOST="127.0.0.1")
tracemalloc.start()
started = time.perf_counter()
response = client.get(f"/data/{slug}/signatories.{kind}")
size = sum(len(chunk) for chunk in response.streaming_content)
elapsed = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(size, peak, rss, elapsed)
"""


def main() -> None:
    env = environment()
    manage(env, "migrate", "--noinput")
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", FILL, *map(str, SIZES)], cwd=ROOT, env=env, check=True)
    print(f"filled {sum(SIZES):,} signatures in {time.perf_counter() - started:.0f} s")
    results = {}
    for kind in ("csv", "json"):
        for n in SIZES:
            out = subprocess.run(
                [PYTHON, "-c", MEASURE, f"bench-{n}", kind],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            size, peak, rss, elapsed = int(out[0]), int(out[1]), int(out[2]), float(out[3])
            results[(kind, n)] = (size, peak, rss, elapsed)
            print(
                f"{kind.upper():4} {n:>9,} rows: {size / 1e6:7.1f} MB sent in {elapsed:5.1f} s, "
                f"peak Python heap {peak / 1e6:5.1f} MB, peak process RSS {rss / 1024:6.1f} MB"
            )
        small, large = results[(kind, SIZES[0])], results[(kind, SIZES[1])]
        heap, rss = large[1] / small[1], large[2] / small[2]
        ratio = f"ratio {SIZES[1]:,} / {SIZES[0]:,} rows"
        print(f"{kind.upper():4} {ratio}: heap {heap:.2f}, RSS {rss:.2f}")
    print(json.dumps({f"{k}_{n}": v for (k, n), v in results.items()}))


if __name__ == "__main__":
    main()
