"""Start the hourly housekeeping chain unless it is already waiting in the queue."""

from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from tadamun.signatures.tasks import housekeeping


class Command(BaseCommand):
    help = (
        "Queue the housekeeping task (retention purge, expired confirmations, the record's "
        "hourly checkpoint) if needed."
    )

    def handle(self, *args, **options):
        pending = DBTaskResult.objects.filter(
            task_path=housekeeping.module_path, status__in=["READY", "RUNNING"]
        )
        if not pending.exists():
            housekeeping.enqueue()
