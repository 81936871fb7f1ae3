#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

if __name__ == "__main__":
    # What the commands write (the database, backups, mail files) is readable by this account
    # only. Static files are public and served by another account (nginx), so not those.
    if sys.argv[1:2] != ["collectstatic"]:
        os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamun.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
