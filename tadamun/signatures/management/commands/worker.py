"""Run the task worker, first putting back in the queue the tasks a dead worker left running.

A worker killed mid-task (a crash, a power cut, SIGKILL) leaves its task marked RUNNING for
ever. Mail tasks take seconds, so one still running after STALLED_TASK_SECONDS is a dead
worker's: it runs again, at least once in all. A confirmation sent twice is harmless (both
carry the same link, and confirming acts once); notices never repeat (each recipient is
claimed before sending).
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tadamun.signatures.housekeeping import requeue_stalled


class Command(BaseCommand):
    help = "Requeue tasks left running by a dead worker, then run the worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stalled-seconds",
            type=int,
            default=settings.STALLED_TASK_SECONDS,
            help="a task running longer than this is a dead worker's (default: %(default)s)",
        )
        parser.add_argument("--interval", type=float, default=1)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, stalled_seconds, interval, batch, **options):
        requeued = requeue_stalled(stalled_seconds)
        if requeued:
            self.stdout.write(f"requeued {requeued} task(s) left running by a dead worker")
        call_command(
            "db_worker",
            queue_name="*",
            interval=interval,
            batch=batch,
            startup_delay=False,
            reload=False,
            verbosity=options["verbosity"],
        )
