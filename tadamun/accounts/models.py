"""Which sessions belong to which organizer, so that a change of role can end them."""

from importlib import import_module

from django.conf import settings
from django.db import models
from django.utils import timezone


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


class OrganizerSession(models.Model):
    """A session opened by signing in. Sessions are kept by Django's session engine, which
    cannot say whose a session is without reading every one of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organizer_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} · {self.started_at:%Y-%m-%d %H:%M}"

    @classmethod
    def opened(cls, user, session_key: str) -> None:
        """Note a new session of `user`, forgetting those that have ended by themselves."""
        store = session_store()
        for row in cls.objects.filter(user=user):
            if not store().exists(row.session_key):
                row.delete()
        cls.objects.update_or_create(session_key=session_key, defaults={"user": user})

    @classmethod
    def end_all(cls, user) -> int:
        """Sign `user` out everywhere: their next request meets the sign-in page."""
        store = session_store()
        rows = list(cls.objects.filter(user=user))
        for row in rows:
            store(session_key=row.session_key).delete()
        cls.objects.filter(pk__in=[row.pk for row in rows]).delete()
        return len(rows)
