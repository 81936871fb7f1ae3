"""Keeping contact data no longer than needed: expired confirmations and closed statements."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tadamun.record import models as record
from tadamun.statements.models import Statement

from .models import Organization, Pledge, SignOn


def purge(statement: Statement, now: datetime.datetime | None = None) -> dict:
    """Delete every remaining contact detail of the statement's signers and pledgers.
    Counts, the public list and the record stay."""
    now = now or timezone.now()
    with transaction.atomic():
        signons = SignOn.objects.filter(statement=statement).update(
            contact_name="", contact_email="", contact_role=""
        )
        pledges = Pledge.objects.filter(statement=statement).update(
            email="", work_email="", wants_updates=False
        )
        Pledge.objects.filter(statement=statement, status=Pledge.Status.UNCONFIRMED).delete()
        Statement.objects.filter(pk=statement.pk).update(purged_at=now)
        record.append(record.Entry.Action.PURGED, statement.slug, signons=signons, pledges=pledges)
    return {"signons": signons, "pledges": pledges}


def purge_due(now: datetime.datetime | None = None) -> list[str]:
    """Purge every statement closed longer ago than the retention period."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS)
    due = Statement.objects.filter(
        status=Statement.Status.CLOSED, closed_at__lte=cutoff, purged_at__isnull=True
    )
    done = []
    for statement in due:
        purge(statement, now)
        done.append(statement.slug)
    return done


def expire_unconfirmed(now: datetime.datetime | None = None) -> dict:
    """Forget addresses nobody confirmed in time: their links no longer work anyway."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.CONFIRMATION_HOURS)
    pledges, _ = Pledge.objects.filter(
        status=Pledge.Status.UNCONFIRMED, created_at__lt=cutoff
    ).delete()
    work = (
        Pledge.objects.filter(created_at__lt=cutoff, work_verified=False)
        .exclude(work_email="")
        .update(work_email="")
    )
    signons, _ = SignOn.objects.filter(
        status=SignOn.Status.UNCONFIRMED, created_at__lt=cutoff
    ).delete()
    # What those submissions proposed as new organizations goes with them.
    Organization.objects.filter(
        source=Organization.Source.PROPOSED, signons__isnull=True, created_at__lt=cutoff
    ).delete()
    return {"pledges": pledges, "work_addresses": work, "signons": signons}
