"""The record can be read in the admin; nobody can change or delete an entry or a checkpoint."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Checkpoint, Entry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatementFilter(admin.SimpleListFilter):
    """The entries of one statement, and those of none (the site's own, such as a key), which
    the admin's plain filter listed as a link with no text."""

    title = _("statement")
    parameter_name = "statement_slug"

    def lookups(self, request, model_admin):
        slugs = Entry.objects.order_by("statement_slug").values_list("statement_slug", flat=True)
        return [(slug, slug or _("No statement")) for slug in slugs.distinct()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(statement_slug=self.value())


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["sequence", "action", "statement_slug", "at", "hash"]
    list_filter = ["action", StatementFilter]
    readonly_fields = ["sequence", "action", "statement_slug", "at", "data", "hash"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["tree_size", "signed_at", "root_hash"]
    readonly_fields = ["tree_size", "root_hash", "signed_at", "note"]
    exclude = ["frontier"]
