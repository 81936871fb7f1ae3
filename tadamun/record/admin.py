"""The record can be read in the admin; nobody can change or delete an entry or a checkpoint."""

from django.contrib import admin

from .models import Checkpoint, Entry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["sequence", "action", "statement_slug", "at", "hash"]
    list_filter = ["action", "statement_slug"]
    readonly_fields = ["sequence", "action", "statement_slug", "at", "data", "hash"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["tree_size", "signed_at", "root_hash"]
    readonly_fields = ["tree_size", "root_hash", "signed_at", "note"]
    exclude = ["frontier"]
