"""On first run, create an organizer account with a random password, printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first organizer account if there is none; print its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="organizer")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nOrganizer account created. Sign in at /ar/desk/ (or /en/desk/) with\n"
                f"  user:     {username}\n  password: {password}\n"
                f"This password is shown only this once. Add a passkey or an authenticator\n"
                f"app there (Second factor): production requires one.\n"
            )
        )
