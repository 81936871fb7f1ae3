"""The import preview's check of a list of names, now and the old way, measured in one run.

Now (imports.preview): the listed organizations' names and the list's own go into one
dedupe.NameIndex each; every name's keys are worked out once and looked up by key, and only
the typo search (rapidfuzz, in C) runs over all names. The old way (issue 15's first
preview, kept below as it was): for every row, dedupe.similar() over every listed name and
every earlier row, working out the keys of both names of every pair again, so the time grows
with the square of the list.

Prints, for lists of 150 names (and more with PREVIEW_SIZES="150,600"), both times and their
ratio, and the new way's time for longer lists to show how it grows. About a minute.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import environment, manage  # noqa: E402

LISTED = int(os.environ.get("PREVIEW_LISTED", "100"))
SIZES = [int(n) for n in os.environ.get("PREVIEW_SIZES", "150").split(",")]
NEW_ONLY = [int(n) for n in os.environ.get("PREVIEW_NEW_SIZES", "600,2400").split(",")]

LATIN = [
    "Relief",
    "Hope",
    "Future",
    "Youth",
    "Women",
    "Civil",
    "Peace",
    "Light",
    "Bridge",
    "Dawn",
    "Unity",
    "Voice",
    "Path",
    "Sun",
]
ARABIC = [
    "أمل",
    "مستقبل",
    "شباب",
    "نساء",
    "سلام",
    "نور",
    "جسر",
    "فجر",
    "وحدة",
    "صوت",
    "طريق",
    "شمس",
    "إغاثة",
    "كرامة",
]
KINDS = ["Organization", "Network", "Foundation", "Team", "Association", "Initiative"]


def names(count: int, seed: int) -> list[str]:
    """Plausible organization names, a third of them in Arabic, some near each other."""
    rng = random.Random(seed)
    found = []
    for n in range(count):
        if n % 3 == 2:
            words = rng.sample(ARABIC, 2)
            found.append(f"منظمة {' '.join(words)} {n}")
        else:
            words = rng.sample(LATIN, 2)
            found.append(f"{' '.join(words)} {rng.choice(KINDS)} {n}")
    return found


def old_similar(dedupe, name: str, candidates: dict[int, list[str]], limit: int = 5):
    """dedupe.similar as issue 15 first wrote it (commit d9f5baa)."""
    from rapidfuzz import fuzz, process

    key = dedupe.fuzzy_key(name)
    if not key:
        return []
    scores: dict[int, int] = {}
    for keyer in (dedupe.fuzzy_key, dedupe.name_key):
        flat = {
            (cid, i): keyer(n) for cid, names in candidates.items() for i, n in enumerate(names)
        }
        for _choice, score, (cid, _i) in process.extract(
            keyer(name), flat, scorer=fuzz.ratio, score_cutoff=dedupe.THRESHOLD, limit=None
        ):
            scores[cid] = max(scores.get(cid, 0), int(score))
    for cid, names in candidates.items():
        for other in names:
            if key == dedupe.fuzzy_key(other) or dedupe.name_key(name) == dedupe.name_key(other):
                scores[cid] = 100
            elif dedupe.is_abbreviation(name, other) or dedupe.is_abbreviation(other, name):
                scores[cid] = max(scores.get(cid, 0), 90)
            elif dedupe.same_sound(name, other) >= dedupe.CROSS_SCRIPT_THRESHOLD:
                scores[cid] = max(scores.get(cid, 0), dedupe.CROSS_SCRIPT_SCORE)
    return sorted(scores.items(), key=lambda item: -item[1])[:limit]


def old_preview(dedupe, OrganizationName, rows: list[dict]) -> list[dict]:
    """imports.preview as issue 15 first wrote it (commit d9f5baa), flags only."""
    existing: dict[int, list[str]] = {}
    exact: dict[str, int] = {}
    for org_id, name, key in OrganizationName.objects.values_list("organization_id", "name", "key"):
        existing.setdefault(org_id, []).append(name)
        exact[key] = org_id
    earlier: dict[int, list[str]] = {}
    shown = []
    for n, row in enumerate(rows):
        keys = {k for k in (dedupe.name_key(name) for name in row["names"].values()) if k}
        known = next((exact[k] for k in keys if k in exact), None)
        similar, alike = {}, set()
        for name in row["names"].values():
            for org_id, score in old_similar(dedupe, name, existing):
                if org_id != known:
                    similar[org_id] = max(similar.get(org_id, 0), score)
            alike.update(other for other, _score in old_similar(dedupe, name, earlier))
        shown.append({"known": known, "similar": sorted(similar), "alike": sorted(alike)})
        earlier[n] = list(row["names"].values())
    return shown


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def main() -> None:
    env = environment()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    os.environ.update(env)
    import django

    django.setup()
    from tadamun.signatures import dedupe, imports
    from tadamun.signatures.models import OrganizationName
    from tadamun.statements.models import Statement

    statement = Statement.objects.get(slug="aleppo-strike-2016")
    listed = imports.rows_from_names(names(LISTED, seed=1), "Syria")
    imports.import_signatories(statement, listed)
    print(f"{OrganizationName.objects.count()} listed names")

    def fresh():
        # Each way starts without the keys of an earlier run.
        dedupe.features.cache_clear()
        dedupe.skeleton.cache_clear()

    print(f"{'names':>6} {'old way (s)':>12} {'now (s)':>9} {'ratio':>7}")
    for size in SIZES:
        rows = imports.rows_from_names(names(size, seed=size), "Syria")
        fresh()
        old, old_result = timed(old_preview, dedupe, OrganizationName, rows)
        fresh()
        new, new_result = timed(imports.preview, rows)
        # Both ways flag the same rows of this list as known.
        assert [r["known"] is not None for r in old_result] == [
            bool(r["known"]) for r in new_result
        ]
        print(f"{size:>6} {old:>12.2f} {new:>9.3f} {old / new:>6.0f}×")
    for size in NEW_ONLY:
        rows = imports.rows_from_names(names(size, seed=size), "Syria")
        fresh()
        new, _ = timed(imports.preview, rows)
        print(f"{size:>6} {'–':>12} {new:>9.3f} {'':>7}  ({1000 * new / size:.2f} ms a name)")


if __name__ == "__main__":
    main()
