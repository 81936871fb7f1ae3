"""The private audit log of organizers' actions: who saw or did what, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.localization import format_datetime


class Event(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user account"),
    )
    username = models.CharField(_("user"), max_length=150)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("what"), max_length=200)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("organizer action")
        verbose_name_plural = _("organizer actions")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{format_datetime(self.at, 'short')} {self.username} {self.action} {self.target}"


def log(user, action: str, target, **detail) -> Event:
    """Write one organizer action. `target` is the object acted on (or a description)."""
    if hasattr(target, "_meta"):
        target = f"{target._meta.label_lower}#{target.pk}"
    return Event.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "get_username", lambda: "system")(),
        action=action,
        target=str(target)[:200],
        detail=detail,
    )
