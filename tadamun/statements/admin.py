"""Organizers write coalitions, statements, demands and strike days here, and publish."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Coalition, Demand, Statement, StrikeDay, Tally, Version


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "website"]
    search_fields = ["slug"]


class DemandInline(admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["position", "text", "status"]


class StrikeDayInline(admin.TabularInline):
    model = StrikeDay
    extra = 0


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "published_at", "content_hash"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "coalition", "kind", "status", "current_version"]
    list_filter = ["status", "kind", "coalition"]
    search_fields = ["slug"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "coalition",
                    "slug",
                    "kind",
                    "status",
                    "languages",
                    "authoritative_language",
                ]
            },
        ),
        (
            _("Working copy of the text"),
            {
                "fields": ["title", "body"],
                "description": _(
                    "Readers see the published version only. After editing, use the action "
                    "“Publish the working copy” to publish it as a new version."
                ),
            },
        ),
    ]
    inlines = [DemandInline, StrikeDayInline, VersionInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the working copy as a new version"))
    def publish(self, request, queryset):
        published = 0
        for statement in queryset:
            before = statement.current_version_id
            version = statement.publish()
            if version.pk != before:
                published += 1
        self.message_user(
            request,
            ngettext("%d new version published.", "%d new versions published.", published)
            % published,
            messages.SUCCESS,
        )


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Published versions can be read, never changed or deleted."""

    list_display = ["statement", "number", "published_at", "content_hash"]
    list_filter = ["statement"]
    readonly_fields = [
        "statement",
        "number",
        "published_at",
        "content_hash",
        "content",
        "demand_ids",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tally)
class TallyAdmin(admin.ModelAdmin):
    list_display = [
        "statement",
        "organizations",
        "organizations_pausing",
        "pledges",
        "pledges_striking",
    ]
    readonly_fields = [
        "statement",
        "organizations",
        "organizations_named",
        "organizations_pausing",
        "pledges",
        "pledges_striking",
        "pledge_changes",
        "pledge_figures",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
