"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

# What the server writes (the database and its journal) is readable by this account only.
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamun.settings")
application = get_wsgi_application()
