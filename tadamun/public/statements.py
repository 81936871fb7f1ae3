"""The statements readers may see, their demands with their updates, and their strike days."""

import datetime
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from tadamun.statements.models import Demand, DemandUpdate, Statement, StrikeDay, Version


def public_statement(slug: str) -> Statement:
    """A statement readers may see, or 404: every public page and the API start here."""
    return get_object_or_404(
        Statement.objects.public().select_related(
            "coalition", "current_version", "tally__pledge_release"
        ),
        slug=slug,
    )


@dataclass
class PublicDemand:
    """A demand as the published version words it, with its status and dated updates."""

    id: int
    number: int
    texts: dict[str, str]
    text: str
    demand: Demand | None
    updates: list[DemandUpdate] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.demand.status if self.demand else Demand.Status.OPEN

    @property
    def latest_update(self) -> DemandUpdate | None:
        return self.updates[0] if self.updates else None


def demands(version: Version, language: str | None = None) -> list[PublicDemand]:
    """The demands of a published version, in its order, each with its updates newest first;
    `text` is in `language` (else the version's first language)."""
    texts = version.content["texts"]
    shown = texts.get(language) or next(iter(texts.values()))
    by_id = Demand.objects.in_bulk(version.demand_ids)
    updates: dict[int, list[DemandUpdate]] = {}
    for update in DemandUpdate.objects.filter(demand_id__in=version.demand_ids).order_by(
        "-date", "-pk"
    ):
        updates.setdefault(update.demand_id, []).append(update)
    return [
        PublicDemand(
            id=pk,
            number=n,
            texts={code: text["demands"][n - 1] for code, text in texts.items()},
            text=shown["demands"][n - 1],
            demand=by_id.get(pk),
            updates=updates.get(pk, []),
        )
        for n, pk in enumerate(version.demand_ids, start=1)
    ]


def strike_day(day: StrikeDay, now: datetime.datetime | None = None) -> dict:
    """A strike day as pages and the API show it: its phase now, and when it starts and
    ends where it happens."""
    now = now or timezone.now()
    starts, ends = day.starts_at, day.ends_at
    offset = starts.strftime("%z")
    return {
        "day": day,
        "phase": day.phase(now),
        "starts": starts,
        "ends": ends,
        "utc_offset": f"UTC{offset[:3]}:{offset[3:]}",
        "now": now,
    }


def strike_days(statement: Statement, now: datetime.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    return [strike_day(day, now) for day in statement.strike_days.all()]
