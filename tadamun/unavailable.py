"""When the database cannot be reached or written (server down, disk full, read-only disk),
answer with a clear 503 page instead of a server error: nothing was stored, try again."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render

log = logging.getLogger(__name__)

RETRY_SECONDS = 30


def database_down(error: Exception) -> bool:
    """Whether `error` means the database cannot be reached or written: nothing was stored,
    and the same request may succeed shortly. Logged when it does."""
    down = isinstance(error, (OperationalError, InterfaceError)) or (
        isinstance(error, DatabaseError) and "readonly" in str(error).lower()
    )
    if down:
        # The class only: the message may quote the data that was being written.
        log.error("database unavailable: %s", type(error).__name__)
    return down


def database_unavailable(get_response):
    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if not database_down(exception):
            return None
        response = render(request, "unavailable.html", {"retry": RETRY_SECONDS}, status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response

    middleware.process_exception = process_exception
    return middleware
