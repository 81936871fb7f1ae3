"""Start the hourly housekeeping chain and the chain of scheduled releases of pledge figures,
unless they are already waiting in the queue."""

from django.core.management.base import BaseCommand

from tadamun.signatures.housekeeping import (
    housekeeping,
    queued,
    release_pledge_figures,
    schedule_releases,
)


class Command(BaseCommand):
    help = (
        "Queue the housekeeping task (retention purge, expired confirmations, the record's "
        "hourly checkpoint) and the scheduled releases of pledge figures, if needed."
    )

    def handle(self, *args, **options):
        if not queued(housekeeping, "READY", "RUNNING"):
            housekeeping.enqueue()
        if not queued(release_pledge_figures, "READY", "RUNNING"):
            schedule_releases()
