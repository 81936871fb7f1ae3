"""Organizers' API tokens: one coalition each, stored hashed, revocable."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.statements.models import Coalition, Membership


def digest(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough, and keeps every API call quick.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("coalition")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is for."))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=Membership.Role,
        default=Membership.Role.MODERATOR,
        help_text=_(
            "Moderators approve and reject sign-ons; editors post updates and demand changes."
        ),
    )
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give the token a new secret; returns it. Only its hash is kept."""
        token = secrets.token_urlsafe(32)
        self.prefix = token[:8]
        self.key_hash = digest(token)
        return token

    @classmethod
    def find(cls, token: str) -> "ApiToken | None":
        return (
            cls.objects.select_related("coalition")
            .filter(key_hash=digest(token), revoked_at__isnull=True)
            .first()
        )
