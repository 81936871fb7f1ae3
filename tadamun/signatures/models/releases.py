"""Scheduled releases of pledge figures: the only way any figure about pledges goes public.

At fixed times (every PLEDGE_RELEASE_HOURS from midnight UTC), never because something
changed, each public statement's pledge figures are counted from the rows, passed through
the continual differential-privacy mechanism (continual.py) and stored as a PledgeRelease.
Every output (the page, the API, the badge and card, the exports, the press kit, the desk)
reads that stored release through tadamun/public; none counts pledges itself.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from tadamun.statements.models import Statement, Tally, Version

from .. import continual
from .pledges import Pledge, city_key

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def budget() -> continual.Budget:
    return continual.Budget(
        per_statement=settings.PLEDGE_PRIVACY_PER_STATEMENT,
        per_release=settings.PLEDGE_PRIVACY_PER_RELEASE,
        delta=settings.PLEDGE_PRIVACY_DELTA,
    )


def slot_of(moment: datetime.datetime) -> datetime.datetime:
    """The scheduled release time at or before `moment`."""
    period = datetime.timedelta(hours=settings.PLEDGE_RELEASE_HOURS)
    return EPOCH + (moment - EPOCH) // period * period


def next_release_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next scheduled release time after `now`: the same for every statement."""
    now = now or timezone.now()
    return slot_of(now) + datetime.timedelta(hours=settings.PLEDGE_RELEASE_HOURS)


class PledgeRelease(models.Model):
    """The pledge figures of one statement as published at one scheduled time: noisy,
    rounded, and never changed afterwards."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="pledge_releases"
    )
    number = models.PositiveIntegerField()
    # The scheduled time this release belongs to (it runs at that time or just after).
    slot = models.DateTimeField()
    released_at = models.DateTimeField(default=timezone.now)
    # {"total": n, "striking": n, "category": [[key, n]…], "city": [[key, n]…],
    # "domain": [[key, n]…]}: see continual.published.
    figures = models.JSONField()
    # Who chose to be listed by a public name, as of this release: [[pledge id, name,
    # category id or None]…], by name. A name whose pledge was withdrawn since is not shown.
    named = models.JSONField(default=list)
    # The last release the statement's budget pays for: its figures stay as they are.
    final = models.BooleanField(default=False)

    class Meta:
        ordering = ["statement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="one_release_per_number"),
            models.UniqueConstraint(fields=["statement", "slot"], name="one_release_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.statement.slug} release {self.number}"


class PledgeCounter(models.Model):
    """The state of one figure's binary-tree counter (continual.advance): exact and noisy node
    sums per level. Never shown: only the releases are."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=10)
    key = models.CharField(max_length=253)
    exact = models.JSONField()
    noisy = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "family", "key"], name="one_counter_per_key"
            )
        ]


def exact_counts(statement: Statement) -> dict[str, dict[str, int]]:
    """The true counts of each family, from the confirmed pledges (read only here, at a
    release). Category and city count only those who chose to appear in breakdowns; the
    others are "none" in the categories."""
    counted = Pledge.objects.filter(statement=statement, status=Pledge.Status.CONFIRMED)
    in_breakdowns = ~Q(appearance=Pledge.Appearance.COUNTED)
    totals = counted.aggregate(total=Count("pk"), striking=Count("pk", filter=Q(joins_strike=True)))
    category = {"none": 0}
    for category_id, n in (
        counted.filter(in_breakdowns, category__isnull=False)
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        category[str(category_id)] = n
    category["none"] = totals["total"] - sum(category.values())
    city: dict[str, int] = {}
    for typed, n in (
        counted.filter(in_breakdowns).exclude(city="").values_list("city").annotate(n=Count("pk"))
    ).order_by():
        key = city_key(typed)
        if key:
            city[key] = city.get(key, 0) + n
    domain = dict(
        counted.filter(work_verified=True)
        .exclude(work_domain="")
        .values_list("work_domain")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "total": {"": totals["total"]},
        "striking": {"": totals["striking"]},
        "category": category,
        "city": city,
        "domain": domain,
    }


def named(statement: Statement) -> list[list]:
    return [
        [pk, name, category]
        for pk, name, category in Pledge.objects.filter(
            statement=statement,
            status=Pledge.Status.CONFIRMED,
            appearance=Pledge.Appearance.NAMED,
        )
        .order_by("public_name", "pk")
        .values_list("pk", "public_name", "category_id")
    ]


def release(
    statement: Statement,
    now: datetime.datetime | None = None,
    noise: continual.Noise = continual.opendp_noise,
) -> PledgeRelease | None:
    """Publish `statement`'s pledge figures for the scheduled time at or before `now`, unless
    that time has its release already or the statement's budget is spent. `noise` is OpenDP's
    (tests fix it to compare two worlds with the same randomness)."""
    now = now or timezone.now()
    spending = budget()
    with transaction.atomic():
        # One release at a time per statement (the release chain and housekeeping may meet).
        tally, _ = Tally.objects.select_for_update().get_or_create(statement=statement)
        last = statement.pledge_releases.order_by("-number").first()
        number = last.number + 1 if last else 1
        slot = slot_of(now)
        if (last and last.slot >= slot) or number > spending.releases:
            return None
        exact = exact_counts(statement)
        counters = {(c.family, c.key): c for c in PledgeCounter.objects.filter(statement=statement)}
        categories = [str(pk) for pk in statement.pledge_categories.values_list("pk", flat=True)]
        noisy = {}
        for family in continual.FAMILIES:
            counts = exact[family]
            if family == "category":
                # The categories are public: each has a counter from its first release on.
                counts = dict.fromkeys([*categories, "none"], 0) | counts
            states = {
                key: {"exact": c.exact, "noisy": c.noisy}
                for (f, key), c in counters.items()
                if f == family
            }
            noisy[family] = continual.advance(states, number, counts, family, spending, noise)
            for key, state in states.items():
                counter = counters.get((family, key))
                if counter is None:
                    counters[(family, key)] = PledgeCounter(
                        statement=statement, family=family, key=key, **state
                    )
                else:
                    counter.exact, counter.noisy = state["exact"], state["noisy"]
        PledgeCounter.objects.bulk_update(
            [c for c in counters.values() if c.pk], ["exact", "noisy"], batch_size=500
        )
        PledgeCounter.objects.bulk_create([c for c in counters.values() if not c.pk])
        made = PledgeRelease.objects.create(
            statement=statement,
            number=number,
            slot=slot,
            released_at=now,
            figures=continual.published(noisy, spending, [*categories, "none"]),
            named=named(statement),
            final=number == spending.releases,
        )
        # The pages read the release through the Tally, and their cache moves with it.
        Tally.objects.filter(pk=tally.pk).update(
            pledge_release=made, generation=models.F("generation") + 1
        )
    return made


def due(now: datetime.datetime | None = None) -> list[Statement]:
    """Public statements whose release for the current scheduled time has not run yet and
    which were public before that time."""
    slot = slot_of(now or timezone.now())
    first_published = Version.objects.filter(statement=models.OuterRef("pk"), number=1)
    return list(
        Statement.objects.public()
        .annotate(since=models.Subquery(first_published.values("published_at")[:1]))
        .filter(since__lt=slot)
        .exclude(pledge_releases__slot__gte=slot)
        .exclude(pledge_releases__final=True)
        .order_by("pk")
    )


def release_due(now: datetime.datetime | None = None) -> list[str]:
    """Run every release due now (see `due`); the slugs of those that ran."""
    now = now or timezone.now()
    return [s.slug for s in due(now) if release(s, now) is not None]
