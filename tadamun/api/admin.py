"""Organizers create and revoke API tokens here; a new token is shown once."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.audit import models as audit
from tadamun.statements.roles import OWNERS, CoalitionScoped

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(CoalitionScoped, admin.ModelAdmin):
    view_roles = change_roles = add_roles = OWNERS
    action_roles = {"revoke": OWNERS}
    list_display = ["name", "coalition", "role", "prefix", "created_at", "created_by", "revoked_at"]
    list_filter = ["coalition"]
    fields = ["coalition", "name", "role", "prefix", "created_at", "created_by", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "revoked_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # A token is created and revoked, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token = obj.issue()
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit.log(request.user, "created API token", obj, prefix=obj.prefix)
        self.message_user(
            request,
            _("The token is %(token)s — copy it now: it is not shown again.") % {"token": token},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.log(request.user, "revoked API token", token, prefix=token.prefix)
        self.message_user(request, _("Revoked."), messages.SUCCESS)
