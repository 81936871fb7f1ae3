"""The record can be read in the admin; nobody can change or delete an entry."""

from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["sequence", "action", "statement_slug", "at", "hash"]
    list_filter = ["action", "statement_slug"]
    readonly_fields = [
        "sequence",
        "action",
        "statement_slug",
        "at",
        "data",
        "previous_hash",
        "hash",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
