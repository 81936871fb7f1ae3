"""How far the published pledge figures are from the truth, with the configured privacy budget
(PLEDGE_PRIVACY_*): median and 95th percentile of |published − true| over 1,000 releases, at
the demo's scale (its 111 made-up pledges), at 1,000 and at 10,000 pledges.

The pledges follow the demo's mix (tadamun/statements/demo/aleppo-2016.json: categories,
cities, who joins the strike, who is only counted), scaled; one in five has a confirmed work
address at one of three domains. They arrive evenly over the first 100 releases (25 days at
one every 6 hours) and one in twenty withdraws later; each statement life runs the whole
budget's releases, through the site's own mechanism (signatures/continual.py, OpenDP's noise),
and lives are added until 1,000 releases are measured.

    python benchmarks/pledge_accuracy.py [--json results.json]

The figures in docs/threat-model.md come from this script.
"""

import argparse
import json
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamun.settings")

import django  # noqa: E402

django.setup()

from tadamun.signatures import continual  # noqa: E402
from tadamun.signatures.models import releases  # noqa: E402
from tadamun.signatures.models.pledges import city_key  # noqa: E402
from tadamun.statements.management.commands.load_demo import DEMO_DIR  # noqa: E402

RELEASES_MEASURED = 1000
ARRIVAL_RELEASES = 100
DOMAINS = ("unagency.org", "ingo.org", "localngo.org")
CATEGORIES = [str(n) for n in range(5)]


def demo_mix() -> list[tuple[str, str, bool, str, int]]:
    data = json.loads((DEMO_DIR / "aleppo-2016.json").read_text(encoding="utf-8"))
    return [tuple(group) for group in data["statement"]["demo_pledges"]]


def population(size: int, rng: random.Random) -> list[dict]:
    """`size` pledges in the demo's proportions."""
    groups = demo_mix()
    weights = [group[-1] for group in groups]
    people = []
    for _ in range(size):
        category, city, joins, appearance, _n = rng.choices(groups, weights)[0]
        people.append(
            {
                "category": str(category),
                "city": city_key(city),
                "joins": joins,
                "in_breakdowns": appearance != "counted",
                "domain": rng.choice(DOMAINS) if rng.random() < 0.2 else None,
                "joins_at": rng.randint(1, ARRIVAL_RELEASES),
                "leaves_at": rng.randint(2, 400) if rng.random() < 0.05 else None,
            }
        )
    return people


def truth(people: list[dict], t: int) -> dict[str, dict[str, int]]:
    """What the rows add up to at release t (as releases.exact_counts counts them)."""
    counts = {family: {} for family in continual.FAMILIES}
    counts["total"][""] = counts["striking"][""] = 0
    counts["category"] = dict.fromkeys([*CATEGORIES, "none"], 0)
    for p in people:
        if p["joins_at"] > t or (p["leaves_at"] and p["leaves_at"] <= t):
            continue
        counts["total"][""] += 1
        counts["striking"][""] += p["joins"]
        counts["category"][p["category"] if p["in_breakdowns"] else "none"] += 1
        if p["in_breakdowns"] and p["city"]:
            counts["city"][p["city"]] = counts["city"].get(p["city"], 0) + 1
        if p["domain"]:
            counts["domain"][p["domain"]] = counts["domain"].get(p["domain"], 0) + 1
    return counts


def measure(size: int, budget: continual.Budget, seed: int) -> dict[str, list[int]]:
    """|published − true| of each published figure, over RELEASES_MEASURED releases."""
    rng = random.Random(seed)
    errors = {"total": [], "striking": [], "category": [], "city": [], "domain": []}
    shown = {"city": [0, 0], "domain": [0, 0]}  # [releases × keys shown, × keys that exist]
    measured = 0
    while measured < RELEASES_MEASURED:
        people = population(size, rng)
        states = {family: {} for family in continual.FAMILIES}
        for t in range(1, budget.releases + 1):
            true = truth(people, t)
            noisy = {
                family: continual.advance(states[family], t, true[family], family, budget)
                for family in continual.FAMILIES
            }
            figures = continual.published(noisy, budget, [*CATEGORIES, "none"])
            errors["total"].append(abs(figures["total"] - true["total"][""]))
            errors["striking"].append(abs(figures["striking"] - true["striking"][""]))
            for key, n in figures["category"]:
                errors["category"].append(abs(n - true["category"][key]))
            for family in continual.THRESHOLDED:
                for key, n in figures[family]:
                    errors[family].append(abs(n - true[family].get(key, 0)))
                shown[family][0] += len(figures[family])
                shown[family][1] += sum(1 for n in true[family].values() if n)
            measured += 1
            if measured == RELEASES_MEASURED:
                break
    summary = {
        figure: {
            "median": statistics.median(values) if values else None,
            "p95": statistics.quantiles(values, n=20)[-1] if len(values) > 1 else None,
            "samples": len(values),
        }
        for figure, values in errors.items()
    }
    for family, (keys_shown, keys) in shown.items():
        summary[family]["shown_share"] = keys_shown / keys if keys else 0.0
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    budget = releases.budget()
    results = {
        "budget": {
            "per_statement_rho": budget.per_statement,
            "per_release_rho": budget.per_release,
            "releases": budget.releases,
            "levels": budget.levels,
            "delta": budget.delta,
            "epsilon_at_delta": budget.epsilon(budget.delta),
            "noise_scale": budget.scales,
            "thresholds": {f: budget.threshold(f) for f in continual.THRESHOLDED},
        },
        "scales": {},
    }
    print(
        f"Budget: ρ = {budget.per_statement} per statement ({budget.per_release} per release, "
        f"{budget.releases} releases, tree height {budget.levels}); "
        f"(ε, δ) = ({results['budget']['epsilon_at_delta']:.2f}, {budget.delta:g}) + "
        f"thresholds' δ; cities and domains shown from "
        f"{results['budget']['thresholds']['city']} people."
    )
    print("\n| pledges | figure | median | 95th percentile | notes |")
    print("|---|---|---|---|---|")
    for size in (111, 1000, 10_000):
        summary = measure(size, budget, seed=size)
        results["scales"][size] = summary
        for figure, row in summary.items():
            note = ""
            if figure == "total" and row["p95"] is not None:
                note = f"p95 = {100 * row['p95'] / size:.1f} % of {size:,}"
            if "shown_share" in row:
                note = f"{100 * row['shown_share']:.0f} % of (release, real key) pairs shown"
            median = "–" if row["median"] is None else f"{row['median']:g}"
            p95 = "–" if row["p95"] is None else f"{row['p95']:g}"
            print(f"| {size:,} | {figure} | {median} | {p95} | {note} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
