"""Organizers write coalitions, statements, demands and strike days here, and publish."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.admin import LabelledTabularInline
from tadamun.audit import models as audit
from tadamun.signatures.models import Notice, PledgeCategory

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
from .roles import CONTENT, NOBODY, OWNERS, CoalitionScoped, ParentScoped


class MembershipForm(forms.ModelForm):
    # An owner names a colleague by the user name the administrator gave them: a list to
    # choose from would show every organizer of every coalition, and the user list is not
    # an owner's to read.
    user = forms.ModelChoiceField(
        User.objects.filter(is_active=True, is_staff=True),
        to_field_name="username",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        label=_("User name"),
        error_messages={"invalid_choice": _("No organizer account has this user name.")},
    )

    class Meta:
        model = Membership
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id:
            # The stored value is the account's number; the box shows its name.
            self.initial["user"] = self.instance.user.username


class MembershipInline(ParentScoped, LabelledTabularInline):
    model = Membership
    form = MembershipForm
    extra = 0


@admin.register(Coalition)
class CoalitionAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = ""
    change_roles = OWNERS
    add_roles = NOBODY
    inlines = [MembershipInline]
    list_display = ["__str__", "slug", "website"]
    search_fields = ["slug"]


class DemandInline(ParentScoped, admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["position", "text", "status"]


class StrikeDayInline(ParentScoped, LabelledTabularInline):
    model = StrikeDay
    extra = 0


class UpdateInline(ParentScoped, admin.StackedInline):
    model = Update
    extra = 0
    fields = ["published_at", "title", "body"]


class VersionInline(ParentScoped, LabelledTabularInline):
    model = Version
    extra = 0
    fields = ["number", "published_at", "content_hash"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PledgeCategoryInline(ParentScoped, LabelledTabularInline):
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
    list_select_related = ["coalition", "current_version__statement"]
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

    def has_delete_permission(self, request, obj=None):
        # A statement leaves by closing: its versions and signatures are on the public record
        # (and its counts, which nobody deletes, would block the deletion anyway).
        return False

    actions = ["publish", "send_strike_notice", "close_reconfirmation"]

    @admin.action(description=_("Send the strike-day notice to confirmed signatories"))
    def send_strike_notice(self, request, queryset):
        for statement in queryset:
            try:
                notice = Notice.send_strike_notice(statement, by=request.user)
            except ValueError:
                self.message_user(request, _("%s has no strike day.") % statement, messages.WARNING)
                continue
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
    """Published versions can be read, never changed or deleted."""

    coalition_lookup = "statement__coalition"
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
class TallyAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    change_roles = NOBODY
    list_display = [
        "statement",
        "organizations",
        "organizations_pausing",
    ]
    fields = readonly_fields = [
        "statement",
        "organizations",
        "organizations_named",
        "organizations_pausing",
        "pledge_release",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The counts move with each approval and withdrawal, and pledge figures at each
        # scheduled release, never by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DemandUpdate)
class DemandUpdateAdmin(CoalitionScoped, admin.ModelAdmin):
    """Dated steps of a demand: posting one sets the demand's status."""

    coalition_lookup = "demand__statement__coalition"
    list_display = ["date", "demand", "status"]
    list_filter = ["status", "demand__statement"]
    autocomplete_fields = ["demand"]
    fields = ["demand", "date", "status", "note", "sources"]


@admin.register(Demand)
class DemandAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    change_roles = NOBODY
    add_roles = NOBODY
    list_display = ["__str__", "statement", "status"]
    list_filter = ["statement", "status"]
    # The text's languages one by one: a search in the whole JSON misses Arabic on SQLite,
    # which keeps it escaped there.
    search_fields = [f"text__{code}" for code, _name in settings.LANGUAGES]
    readonly_fields = ["status"]
