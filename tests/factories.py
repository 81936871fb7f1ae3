"""Small factories that build test data in code."""

import datetime
import itertools

from tadamun.signatures.models import SignOn
from tadamun.statements.models import Coalition, Demand, Statement, StrikeDay

counter = itertools.count(1)


def make_coalition(**fields) -> Coalition:
    n = next(counter)
    fields.setdefault("slug", f"coalition-{n}")
    fields.setdefault("name", {"en": f"Coalition {n}", "ar": f"تحالف {n}"})
    return Coalition.objects.create(**fields)


def make_statement(
    published: bool = True, strike_day: bool = False, demands: int = 2, **fields
) -> Statement:
    n = next(counter)
    fields.setdefault("coalition", make_coalition())
    fields.setdefault("slug", f"statement-{n}")
    fields.setdefault("status", Statement.Status.OPEN)
    fields.setdefault("languages", ["ar", "en"])
    fields.setdefault("authoritative_language", "ar")
    fields.setdefault("title", {"en": f"Statement {n}", "ar": f"بيان {n}"})
    fields.setdefault("body", {"en": "We call for peace.", "ar": "ندعو إلى السلام."})
    statement = Statement.objects.create(**fields)
    for i in range(1, demands + 1):
        Demand.objects.create(
            statement=statement, position=i, text={"en": f"Demand {i}", "ar": f"المطلب {i}"}
        )
    if strike_day:
        StrikeDay.objects.create(
            statement=statement,
            date=datetime.date(2030, 1, 15),
            start_time=datetime.time(9),
            end_time=datetime.time(17),
            time_zone="Asia/Damascus",
        )
    if published:
        statement.publish()
    return statement


def signon_form(**overrides) -> dict:
    data = {
        "name_en": "Baytna Syria",
        "name_ar": "بيتنا سوريا",
        "country": "Syria",
        "city": "Gaziantep",
        "website": "https://baytnasyria.org",
        "contact_name": "Rima Haddad",
        "contact_email": "rima@baytnasyria.org",
        "contact_role": "Director",
        "listing": SignOn.Listing.NAMED,
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def with_categories(statement: Statement, names=("INGO staff", "UN staff", "Local staff")):
    from tadamun.signatures.models import PledgeCategory

    return [
        PledgeCategory.objects.create(statement=statement, position=i, name={"en": n, "ar": n})
        for i, n in enumerate(names, start=1)
    ]


def pledge_form(category=None, **overrides) -> dict:
    data = {
        "email": "nour@example.org",
        "category": getattr(category, "pk", category),
        "city": "Gaziantep",
        "appearance": "counted",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def release_next(statement: Statement, **kwargs):
    """Run the statement's next scheduled release of pledge figures, as the clock would at
    its time (now, or the scheduled time after its last release)."""
    from django.conf import settings
    from django.utils import timezone

    from tadamun.signatures.models import releases

    last = statement.pledge_releases.order_by("-number").first()
    when = timezone.now()
    if last:
        when = max(when, last.slot + datetime.timedelta(hours=settings.PLEDGE_RELEASE_HOURS))
    return releases.release(statement, when, **kwargs)


def true_counts(statement: Statement) -> dict:
    """What the pledges add up to, which no output shows."""
    from tadamun.signatures.models import releases

    return releases.exact_counts(statement)
