"""A statement's public figures: how many organizations and people joined, and the pledge
breakdowns. Organizations are read from its Tally, never by counting rows; every pledge figure
is read from its last scheduled release (signatures/models/releases.py), never from pledges."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tadamun.signatures.models.releases import next_release_time
from tadamun.statements.models import Statement, Tally


@dataclass(frozen=True)
class Counts:
    organizations: int = 0
    organizations_listed: int = 0
    organizations_pausing_work: int = 0
    # From the last release of pledge figures, with noise (docs/threat-model.md): None
    # before the first.
    pledges: int | None = None
    pledges_joining_strike: int | None = None
    # {"category": [[category id or "none", n]…], "city": [[city, n]…], "domain": [[domain,
    # n]…]}: every category; only the cities and work domains with many people.
    pledge_breakdown: dict = field(default_factory=dict)
    pledges_released_at: datetime.datetime | None = None
    # The statement's privacy budget is spent: the figures will not change again.
    pledges_final: bool = False

    @property
    def organizations_unnamed(self) -> int:
        return self.organizations - self.organizations_listed


def counts(statement: Statement) -> Counts:
    """The counts of `statement` (two queries, or none when its tally and release were
    select_related)."""
    try:
        tally = statement.tally
    except Tally.DoesNotExist:
        return Counts()
    organizations = {
        "organizations": tally.organizations,
        "organizations_listed": tally.organizations_named,
        "organizations_pausing_work": tally.organizations_pausing,
    }
    release = tally.pledge_release
    if release is None:
        return Counts(**organizations)
    figures = release.figures
    return Counts(
        **organizations,
        pledges=figures["total"],
        pledges_joining_strike=figures["striking"],
        pledge_breakdown={k: figures[k] for k in ("category", "city", "domain")},
        # The scheduled time, not the moment the worker got to it: how busy the worker was
        # (with pledgers' mail, say) is not for readers to see.
        pledges_released_at=release.slot,
        pledges_final=release.final,
    )


def city_label(key: str) -> str:
    """A city as shown: from its key, never as one person typed it."""
    return key.title()


def pledge_figures(statement: Statement, counted: Counts) -> dict:
    """The pledge figures as the page shows them, from the last release: category names in
    the page's language, and when the next release comes."""
    names = {str(c.pk): str(c) for c in statement.pledge_categories.all()}
    breakdown = counted.pledge_breakdown
    category = [
        (names[key] if key in names else _("Other or not stated"), n)
        for key, n in breakdown.get("category", [])
        if key in names or key == "none"
    ]
    city = [(city_label(key), n) for key, n in breakdown.get("city", [])]
    return {
        "released": counted.pledges is not None,
        "total": counted.pledges,
        "striking": counted.pledges_joining_strike,
        "released_at": counted.pledges_released_at,
        "final": counted.pledges_final,
        "next_release": None if counted.pledges_final else next_release_time(),
        # A table of "not stated" alone would say nothing.
        "category": category if len(category) > 1 else [],
        "city": city,
        "city_other": max(0, counted.pledges - sum(n for _label, n in city)) if city else 0,
        "domain": breakdown.get("domain", []),
    }
