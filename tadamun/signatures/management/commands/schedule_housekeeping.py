"""Start the hourly housekeeping chain unless it is already waiting in the queue."""

from django.core.management.base import BaseCommand

from tadamun.signatures.housekeeping import housekeeping, queued


class Command(BaseCommand):
    help = (
        "Queue the housekeeping task (retention purge, expired confirmations, the record's "
        "hourly checkpoint) if needed."
    )

    def handle(self, *args, **options):
        if not queued(housekeeping, "READY", "RUNNING"):
            housekeeping.enqueue()
