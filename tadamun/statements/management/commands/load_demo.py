"""Load the built-in demo: the December 2016 national day of strike for Aleppo.

Safe to run again: it updates what it made before and adds nothing twice.
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tadamun.signatures.addresses import fingerprint
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Pledge, PledgeCategory, releases
from tadamun.statements.models import (
    Coalition,
    Demand,
    DemandUpdate,
    Statement,
    StrikeDay,
    Update,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load the demo coalition and statements (idempotent)."

    def handle(self, *args, **options):
        for name in ("aleppo-2016.json", "upcoming-strike.json"):
            with transaction.atomic():
                statement = load(DEMO_DIR / name)
            if not statement.pledge_releases.exists():
                # The demo's made-up pledges are published at once, so that a newcomer sees
                # figures; from then on the statement follows the schedule like any other.
                releases.release(statement)
            number = statement.current_version.number
            self.stdout.write(f"Demo statement ready: {statement.slug} (version {number})")


def load(path: Path) -> Statement:
    data = json.loads(path.read_text(encoding="utf-8"))
    c = data["coalition"]
    coalition, _created = Coalition.objects.update_or_create(
        slug=c["slug"], defaults={"name": c["name"], "description": c["description"]}
    )
    s = data["statement"]
    statement, _created = Statement.objects.update_or_create(
        slug=s["slug"],
        defaults={
            "coalition": coalition,
            "kind": s["kind"],
            "status": s["status"],
            "languages": s["languages"],
            "authoritative_language": s["authoritative_language"],
            "title": s["title"],
            "body": s["body"],
        },
    )
    for position, text in enumerate(s["demands"], start=1):
        Demand.objects.update_or_create(
            statement=statement, position=position, defaults={"text": text}
        )
    for day in s.get("strike_days", []):
        StrikeDay.objects.get_or_create(
            statement=statement,
            date=datetime.date.fromisoformat(day["date"]),
            defaults={
                "start_time": datetime.time.fromisoformat(day["start_time"]),
                "end_time": datetime.time.fromisoformat(day["end_time"]),
                "time_zone": day["time_zone"],
            },
        )
    upcoming = s.get("upcoming_strike_day")
    if upcoming:
        # Always ahead of today, so the demo shows a countdown whenever it is loaded.
        day, _created = StrikeDay.objects.get_or_create(
            statement=statement,
            defaults={
                "date": timezone.localdate() + datetime.timedelta(days=upcoming["days_ahead"]),
                "start_time": datetime.time.fromisoformat(upcoming["start_time"]),
                "end_time": datetime.time.fromisoformat(upcoming["end_time"]),
                "time_zone": upcoming["time_zone"],
            },
        )
        if day.phase() != "before":
            day.date = timezone.localdate() + datetime.timedelta(days=upcoming["days_ahead"])
            day.save()
    statement.publish()
    demands = {d.position: d for d in statement.demands.all()}
    for item in s.get("demand_updates", []):
        DemandUpdate.objects.get_or_create(
            demand=demands[item["demand"]],
            date=datetime.date.fromisoformat(item["date"]),
            defaults={
                "status": item["status"],
                "note": item["note"],
                "sources": "\n".join(item["sources"]),
            },
        )
    for item in s.get("news", []):
        Update.objects.get_or_create(
            statement=statement,
            published_at=datetime.datetime.fromisoformat(item["published_at"]),
            defaults={"title": item["title"], "body": item["body"]},
        )
    categories = [
        PledgeCategory.objects.update_or_create(
            statement=statement, position=position, defaults={"name": name}
        )[0]
        for position, name in enumerate(s.get("pledge_categories", []), start=1)
    ]
    if s.get("demo_pledges") and not statement.pledges.exists():
        load_pledges(statement, categories, s["demo_pledges"])
    if s.get("signatories_file"):
        lines = (path.parent / s["signatories_file"]).read_text(encoding="utf-8").splitlines()
        names = [
            {"en": line.strip()} for line in lines if line.strip() and not line.startswith("#")
        ]
        import_signatories(
            statement,
            names,
            country=s.get("signatories_country", ""),
            pauses_work=s.get("signatories_pause_work", False),
        )
    return statement


def load_pledges(statement: Statement, categories: list, groups: list) -> None:
    """Made-up anonymous pledges, counted through the same path as real ones."""
    n = 0
    for category_index, city, joins, appearance, how_many in groups:
        for _ in range(how_many):
            n += 1
            pledge = Pledge.objects.create(
                statement=statement,
                category=categories[category_index],
                city=city,
                joins_strike=joins,
                appearance=appearance,
                email_hash=fingerprint(f"demo-{statement.slug}-{n}@example.invalid"),
                status=Pledge.Status.UNCONFIRMED,
            )
            pledge.confirm()
