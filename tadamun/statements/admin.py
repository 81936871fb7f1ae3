"""Organizers write coalitions, statements, demands and strike days here, and publish."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.audit import models as audit
from tadamun.signatures.models import PledgeCategory

from .models import (
    Coalition,
    Demand,
    DemandUpdate,
    Membership,
    Statement,
    StrikeDay,
    Tally,
    Update,
    Version,
)
from .roles import (
    CONTENT,
    MODERATION,
    NOBODY,
    OWNERS,
    CoalitionScoped,
    ParentScoped,
    coalition_ids,
)


class MembershipInline(ParentScoped, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Coalition)
class CoalitionAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = ""
    change_roles = OWNERS
    add_roles = NOBODY
    inlines = [MembershipInline]
    list_display = ["__str__", "slug", "website"]
    search_fields = ["slug"]

    def save_formset(self, request, form, formset, change):
        # Who added, changed or removed a member goes into the audit log (tadamun/accounts).
        for inline_form in formset.forms:
            inline_form.instance.changed_by = request.user
        super().save_formset(request, form, formset, change)


class DemandInline(ParentScoped, admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["position", "text", "status"]


class StrikeDayInline(ParentScoped, admin.TabularInline):
    model = StrikeDay
    extra = 0


class UpdateInline(ParentScoped, admin.StackedInline):
    model = Update
    extra = 0
    fields = ["published_at", "title", "body"]


class VersionInline(ParentScoped, admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "published_at", "content_hash"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PledgeCategoryInline(ParentScoped, admin.TabularInline):
    model = PledgeCategory
    extra = 0
    fields = ["position", "name"]


@admin.register(Statement)
class StatementAdmin(CoalitionScoped, admin.ModelAdmin):
    action_roles = {
        "publish": CONTENT,
        "send_strike_notice": CONTENT,
        "close_reconfirmation": CONTENT,
    }
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
    inlines = [DemandInline, StrikeDayInline, PledgeCategoryInline, UpdateInline, VersionInline]
    change_form_template = "admin/statements/statement_change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_view),
                name="statements_statement_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, pk: int):
        """Import signatories: paste or upload, preview with duplicate flags, fix, confirm."""
        from tadamun.signatures import imports

        statement = get_object_or_404(Statement, pk=pk)
        # Bringing in a list is moderation work, not editing.
        if not self.allowed(request, MODERATION, statement):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "statement": statement,
            "title": _("Import signatories"),
            "country": request.POST.get("country", ""),
            "pauses_work": bool(request.POST.get("pauses_work")),
        }
        rows = []
        languages = list(statement.languages)
        if request.method == "POST" and "confirm" in request.POST:
            languages = request.POST.getlist("languages") or languages
            rows = imports.rows_from_form(request.POST, languages)
            # Only the rows the organizer saw previewed land; edited ones are shown again.
            if rows and request.POST.get("previewed") == imports.digest(rows):
                created = imports.import_signatories(
                    statement, rows, pauses_work=context["pauses_work"], by=request.user
                )
                audit.log(request.user, "imported signatories", statement, count=len(created))
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d organization imported (%(skipped)d already on the statement).",
                        "%(count)d organizations imported (%(skipped)d already on the statement).",
                        len(created),
                    )
                    % {"count": len(created), "skipped": len(rows) - len(created)},
                    messages.SUCCESS,
                )
                return redirect("admin:statements_statement_change", statement.pk)
            if rows:
                context["changed"] = True
        elif request.method == "POST":
            upload = request.FILES.get("file")
            country = context["country"][:100]
            if upload:
                rows = imports.parse_csv(upload.read(5_000_000), country=country)
            else:
                rows = imports.rows_from_names(
                    imports.parse_names(request.POST.get("names", "")), country
                )
            languages = imports.languages_of(rows, languages)
        if request.method == "POST" and not rows:
            context["error"] = _("No organization name was found in what you gave.")
        elif rows:
            user = request.user
            mine = None if user.is_superuser else coalition_ids(user, MODERATION)
            context["rows"] = imports.preview(rows, languages, seen_by=mine)
            context["languages"] = languages
            context["previewed"] = imports.digest(rows)
        return TemplateResponse(request, "admin/statements/import.html", context)

    actions = ["publish", "send_strike_notice", "close_reconfirmation"]

    @admin.action(description=_("Send the strike-day notice to confirmed signatories"))
    def send_strike_notice(self, request, queryset):
        from tadamun.signatures.models import Notice

        for statement in queryset:
            if not statement.strike_days.exists():
                self.message_user(request, _("%s has no strike day.") % statement, messages.WARNING)
                continue
            notice = Notice.objects.create(
                statement=statement, kind=Notice.Kind.STRIKE, created_by=request.user
            )
            notice.start()
            audit.log(request.user, "sent strike-day notice", statement, notice=notice.pk)
            self.message_user(
                request,
                _("The strike-day notice for %s is being sent in the background.") % statement,
                messages.SUCCESS,
            )

    @admin.action(description=_("Close reconfirmation of earlier versions"))
    def close_reconfirmation(self, request, queryset):
        closed = 0
        for statement in queryset:
            if statement.close_reconfirmation():
                audit.log(request.user, "closed reconfirmation", statement)
                closed += 1
        self.message_user(
            request,
            ngettext(
                "Reconfirmation closed for %d statement.",
                "Reconfirmation closed for %d statements.",
                closed,
            )
            % closed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish the working copy as a new version"))
    def publish(self, request, queryset):
        published = 0
        for statement in queryset:
            before = statement.current_version_id
            version = statement.publish()
            if version.pk != before:
                audit.log(request.user, "published", statement, version=version.number)
                published += 1
        self.message_user(
            request,
            ngettext("%d new version published.", "%d new versions published.", published)
            % published,
            messages.SUCCESS,
        )


@admin.register(Version)
class VersionAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    """Published versions can be read, never changed or deleted."""

    list_display = ["statement", "number", "published_at", "content_hash"]
    list_filter = [("statement", admin.RelatedOnlyFieldListFilter)]
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
class TallyAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    change_roles = NOBODY
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


@admin.register(DemandUpdate)
class DemandUpdateAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "demand__statement__coalition"
    """Dated steps of a demand: posting one sets the demand's status."""

    list_display = ["date", "demand", "status"]
    list_filter = ["status", ("demand__statement", admin.RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["demand"]
    fields = ["demand", "date", "status", "note", "sources"]


@admin.register(Demand)
class DemandAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    change_roles = NOBODY
    add_roles = NOBODY
    list_display = ["__str__", "statement", "status"]
    list_filter = [("statement", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["text"]
    readonly_fields = ["status"]
