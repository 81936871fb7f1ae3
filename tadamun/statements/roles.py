"""Who may do what in the admin: organizers act only for their coalitions, by role.

Django's per-model permissions are not used for organizers: a coalition's owner, editors
and moderators get exactly what their role allows, for their coalition's objects only.
"""

from django.db.models import QuerySet

from tadamun.audit import models as audit

from .models import Membership

OWNER, EDITOR, MODERATOR = "owner", "editor", "moderator"
EVERYONE = frozenset({OWNER, EDITOR, MODERATOR})
CONTENT = frozenset({OWNER, EDITOR})
MODERATION = frozenset({OWNER, MODERATOR})
OWNERS = frozenset({OWNER})
NOBODY = frozenset()


def roles_of(user) -> dict[int, str]:
    """{coalition id: role} of `user`, read once and kept on the user object: the admin asks
    for permissions many times a page, and request.user lives as long as its request."""
    if not user.is_authenticated or not user.is_active:
        return {}
    if not hasattr(user, "_coalition_roles"):
        user._coalition_roles = dict(
            Membership.objects.filter(user=user).values_list("coalition_id", "role")
        )
    return user._coalition_roles


def coalition_ids(user, roles) -> set[int]:
    """The coalitions where `user` holds one of `roles`."""
    return {coalition for coalition, role in roles_of(user).items() if role in roles}


class CoalitionScoped:
    """A ModelAdmin mixin: objects of other coalitions are invisible, and each kind of access
    needs one of the roles named for it."""

    coalition_lookup = "coalition"  # from the model to its coalition; "" for Coalition itself
    view_roles = EVERYONE
    change_roles = CONTENT
    add_roles = CONTENT
    delete_roles = NOBODY
    action_roles: dict = {}

    def _field(self) -> str:
        return f"{self.coalition_lookup}__id" if self.coalition_lookup else "id"

    def allowed(self, request, roles, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if not request.user.is_staff:
            return False
        ids = coalition_ids(request.user, roles)
        if obj is None:
            return bool(ids)
        return self.get_queryset_for(obj.__class__, ids).filter(pk=obj.pk).exists()

    def get_queryset_for(self, model, ids) -> QuerySet:
        return model._default_manager.filter(**{f"{self._field()}__in": ids}).distinct()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        ids = coalition_ids(request.user, self.view_roles)
        return queryset.filter(**{f"{self._field()}__in": ids}).distinct()

    def has_module_permission(self, request):
        return self.allowed(request, self.view_roles)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request, self.view_roles | self.change_roles, obj)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request, self.change_roles, obj)

    def has_add_permission(self, request, *args):
        return self.allowed(request, self.add_roles)

    def has_delete_permission(self, request, obj=None):
        return self.allowed(request, self.delete_roles, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.is_superuser:
            return actions
        for name, roles in self.action_roles.items():
            if name in actions and not coalition_ids(request.user, roles):
                del actions[name]
        return actions

    # Every organizer action is in the audit log; the admin's own history is not enough,
    # as it is kept with the objects and read by whoever may change them.
    def log_addition(self, request, obj, message):
        audit.log(request.user, "added", obj, message=str(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit.log(request.user, "changed", obj, message=str(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit.log(request.user, "deleted", obj)
        return super().log_deletions(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Offer only the user's own coalitions, statements and demands as choices."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None:
            return field
        lookups = {
            "coalition": "id",
            "statement": "coalition_id",
            "demand": "statement__coalition_id",
        }
        if db_field.name in lookups:
            ids = coalition_ids(request.user, self.change_roles)
            field.queryset = field.queryset.filter(**{f"{lookups[db_field.name]}__in": ids})
        return field


class ParentScoped:
    """An inline mixin: whoever may change the parent may change its inline rows."""

    def _parent(self, request, obj):
        parent_admin = self.admin_site._registry[self.parent_model]
        return parent_admin.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model].has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent(request, obj)
