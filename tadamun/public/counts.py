"""A statement's public figures: how many organizations and people joined, and the pledge
breakdowns that single nobody out. Read from its Tally, never by counting rows."""

from dataclasses import dataclass, field

from django.conf import settings

from tadamun.statements.models import Statement, Tally


@dataclass(frozen=True)
class Counts:
    organizations: int = 0
    organizations_listed: int = 0
    organizations_pausing_work: int = 0
    pledges: int = 0
    # From the last snapshot of the pledges (signatures/anonymity.py): None while it, or the
    # number of those who do not join, would single someone out.
    pledges_joining_strike: int | None = None
    # By category, city and work domain: {dimension: {"shown": [[key, label, n]…], "other": n}}.
    pledge_breakdown: dict = field(default_factory=dict)
    # How many pledges the snapshot counted (None before the first).
    pledges_as_of: int | None = None

    @property
    def organizations_unnamed(self) -> int:
        return self.organizations - self.organizations_listed


def counts(statement: Statement) -> Counts:
    """The counts of `statement` (one query, or none when its tally was select_related)."""
    try:
        tally = statement.tally
    except Tally.DoesNotExist:
        return Counts()
    snapshot = tally.pledge_figures or {}
    return Counts(
        organizations=tally.organizations,
        organizations_listed=tally.organizations_named,
        organizations_pausing_work=tally.organizations_pausing,
        pledges=tally.pledges,
        pledges_joining_strike=snapshot.get("striking"),
        pledge_breakdown={k: v for k, v in snapshot.items() if k in ("category", "city", "domain")},
        pledges_as_of=snapshot.get("total"),
    )


def pledge_figures(statement: Statement, counted: Counts) -> dict:
    """The pledge figures as the page shows them: the live total, and the breakdowns from
    the last snapshot, with category names in the page's language."""
    categories = {str(c.pk): str(c) for c in statement.pledge_categories.all()}
    breakdowns = {}
    for dimension in ("category", "city", "domain"):
        part = counted.pledge_breakdown.get(dimension) or {"shown": [], "other": 0}
        rows = [
            (categories.get(key, label) if dimension == "category" else label, n)
            for key, label, n in part["shown"]
        ]
        breakdowns[dimension] = {"rows": rows, "other": part["other"]}
    return {
        "total": counted.pledges,
        "striking": counted.pledges_joining_strike,
        "as_of": counted.pledges_as_of,
        "k": settings.ANONYMITY_K,
        **breakdowns,
    }
