"""An organizer lost every second factor and every recovery code: whoever runs the server
removes them, and the organizer sets up a new one at the next sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tadamun.accounts import factors
from tadamun.accounts.models import OrganizerSession
from tadamun.audit import models as audit


class Command(BaseCommand):
    help = "Remove an organizer's passkeys, authenticator apps and recovery codes."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        removed = factors.reset(user)
        # Whoever used the lost device may still hold a session.
        ended = OrganizerSession.end_all(user)
        audit.log(
            None,
            "second factors reset on the server",
            "sign-in",
            member=user.username,
            removed=removed,
            sessions_ended=ended,
        )
        self.stdout.write(
            f"{removed} second factor(s) of {username} removed and {ended} session(s) ended: "
            f"the next sign-in sets up a new one."
        )
