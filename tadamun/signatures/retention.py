"""Keeping contact data no longer than needed: expired confirmations and closed statements,
development mail files, and the database journal that still holds erased values."""

import datetime

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from tadamun.record import models as record
from tadamun.statements.models import Statement

from .models import Organization, Pledge, SignOn


def purge(statement: Statement, now: datetime.datetime | None = None) -> dict:
    """Delete every remaining contact detail of the statement's signers and pledgers.
    Counts, the public list and the record stay."""
    now = now or timezone.now()
    with transaction.atomic():
        # Counted: only the rows that really held something, so the record says how many
        # people's details were deleted, not how many rows the statement has.
        signons = (
            SignOn.objects.filter(statement=statement)
            .filter(
                ~Q(contact_name="")
                | ~Q(contact_email="")
                | ~Q(contact_role="")
                | ~Q(contact_hash="")
                | Q(sealed_contact__isnull=False)
            )
            .update(
                contact_name="",
                contact_email="",
                contact_role="",
                contact_hash="",
                sealed_contact=None,
            )
        )
        pledges = (
            Pledge.objects.filter(statement=statement)
            .filter(~Q(email="") | ~Q(work_email=""))
            .update(email="", work_email="", wants_updates=False)
        )
        Pledge.objects.filter(statement=statement, wants_updates=True).update(wants_updates=False)
        Pledge.objects.filter(statement=statement, status=Pledge.Status.UNCONFIRMED).delete()
        # No more pledges can come: the fingerprints go too, so that not even the key can
        # tell whether an address pledged (each row keeps a unique, meaningless value).
        Pledge.objects.filter(statement=statement).update(
            email_hash=Concat(Value("purged-"), Cast("pk", CharField()))
        )
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


def erase_mail_files() -> int:
    """Development mailbox only: erase message files older than MAIL_FILE_HOURS."""
    if not settings.EMAIL_BACKEND.endswith("devmail.EmailBackend"):
        return 0
    from tadamun import devmail

    return devmail.erase_old()


def truncate_journal() -> bool:
    """SQLite: move the write-ahead log into the database and empty it, so that page images
    holding values erased since (secure_delete zeroes them in the database itself) do not
    stay in the -wal file. True if done; busy readers make it wait for the next hour."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False  # a checkpoint cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
    except OperationalError:
        return False
    return not busy
