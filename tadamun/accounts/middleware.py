"""Organizers' sessions end after 12 idle hours: each organizer request renews the session
(at most every few minutes, so that browsing the desk does not write at every click)."""

import re
import time

SEEN = "tadamun.seen"
RENEW_SECONDS = 300
ORGANIZER_PATHS = re.compile(r"^/(?:admin/|[\w-]+/desk/)")


def idle_sessions(get_response):
    def middleware(request):
        # Public pages never read the session here, so they stay the same for everyone
        # (no "Vary: Cookie") and cost no write.
        organizer = ORGANIZER_PATHS.match(request.path_info) and request.user.is_authenticated
        if organizer:
            now = int(time.time())
            seen = request.session.get(SEEN, 0)
            if now - seen >= RENEW_SECONDS:
                # Saving the session moves its expiry (SESSION_COOKIE_AGE) to now + 12 h.
                request.session[SEEN] = now
        response = get_response(request)
        session = request.session
        if (
            organizer
            and session.modified
            and session.session_key
            and not session.exists(session.session_key)
        ):
            # This request changed its own organizer's role, which ended their sessions
            # (receivers.py), this one too: it is not saved back, the organizer is out.
            session.flush()
        return response

    return middleware
