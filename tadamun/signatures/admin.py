"""The moderation screen: confirmed sign-ons wait here for organizers, with the signals
they need to trust them; organizations can be merged here."""

from contextvars import ContextVar

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tadamun.admin import LabelledTabularInline
from tadamun.audit import models as audit
from tadamun.multilingual import pick
from tadamun.statements.models import Statement
from tadamun.statements.roles import (
    MODERATION,
    NOBODY,
    CoalitionScoped,
    ParentScoped,
    coalition_ids,
)

from . import dedupe, imports
from .models import ConsentRequired, Delivery, Notice, Organization, OrganizationName, SignOn

# The request a display method serves (they receive only the object); a context variable,
# so that threads serving other organizers never see it.
viewer: ContextVar = ContextVar("viewer")


def seen_by(request) -> set[int] | None:
    """The coalitions whose signatories this organizer may know of (None: a superuser, all).
    Everything else is sealed: another coalition's hidden or pending signatories, its
    statements' signals, its organizations' records."""
    if request is None:
        return set()  # nobody known to serve: show what is public only
    if request.user.is_superuser:
        return None
    return coalition_ids(request.user, MODERATION)


def visible_organizations(request):
    """The organizations this organizer may know of, to compare names with (None: all)."""
    mine = seen_by(request)
    return None if mine is None else Organization.objects.seen_by(mine)


def own_record(request, organization) -> bool:
    """Whether this organizer's coalitions alone fed the organization's record."""
    return organization.fed_only_by(seen_by(request))


class AwaitingFilter(admin.SimpleListFilter):
    """Opens on the queue: confirmed sign-ons waiting for a decision."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("all", _("All")), *SignOn.Status.choices]

    def choices(self, changelist):
        value = self.value() or SignOn.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or SignOn.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class SignOnChangeList(ChangeList):
    """The queue finds the look-alikes of every organization on the page at once, in two
    queries, instead of reading every known name again for each row, among the organizations
    this organizer may know of (and which of the page's those are, in one more)."""

    def get_results(self, request):
        super().get_results(request)
        found = Organization.near_duplicates_of(
            [s.organization for s in self.result_list], 3, visible_organizations(request)
        )
        mine = seen_by(request)
        known = (
            None
            if mine is None
            else set(
                Organization.objects.seen_by(mine)
                .filter(pk__in=[s.organization_id for s in self.result_list])
                .values_list("pk", flat=True)
            )
        )
        for signon in self.result_list:
            signon.lookalikes = found[signon.organization_id]
            # Another coalition's organization: its approved website is not compared here.
            signon.sealed = known is not None and signon.organization_id not in known


@admin.register(SignOn)
class SignOnAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    view_roles = change_roles = MODERATION
    action_roles = {
        "approve": MODERATION,
        "reject": MODERATION,
        "remove": MODERATION,
        "forget": MODERATION,
        "send_details_link": MODERATION,
    }
    # The signals come right after the name and the list stays narrow enough to show them on
    # a laptop beside the navigation and the filters; the rest is on each sign-on's page.
    list_display = [
        "organization_name",
        "domain_signal",
        "duplicate_signal",
        "statement_title",
        "status",
        "created_at",
    ]
    list_filter = [
        AwaitingFilter,
        ("statement", admin.RelatedOnlyFieldListFilter),
        "held",
        "claim",
        "listing",
        "imported",
    ]
    # The names this coalition's sign-ons gave (get_search_results), and the contact address;
    # never other spellings of the organization, which other coalitions' signers gave.
    search_fields = ["contact_email"]
    list_select_related = ["organization", "statement", "version"]
    actions = ["approve", "reject", "remove", "forget", "send_details_link"]
    readonly_fields = [
        "statement",
        "organization_record",
        "version",
        "submitted_name",
        "status",
        "claim",
        "held",
        "signals",
        "created_at",
        "confirmed_at",
        "decided_at",
        "decided_by",
        "withdrawn_at",
        "forgotten_at",
        "reason",
        "imported",
        "language",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "statement",
                    "status",
                    "held",
                    "signals",
                    "organization_record",
                    "submitted_name",
                    "version",
                ]
            },
        ),
        (
            _("Submitted details"),
            {"fields": ["country", "city", "website", "listing", "pauses_work", "language"]},
        ),
        (_("Contact (private)"), {"fields": ["contact_name", "contact_role", "contact_email"]}),
        (
            _("History"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "decided_at",
                    "decided_by",
                    "withdrawn_at",
                    "forgotten_at",
                    "reason",
                    "imported",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Sign-ons leave by rejection or withdrawal, which the record keeps.
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.listing == SignOn.Listing.COUNTED:
            # Only the organization can have its name listed (send_details_link asks it).
            fields.append("listing")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        viewer.set(request)
        return super().get_form(request, obj, change, **kwargs)

    def get_changelist_instance(self, request):
        viewer.set(request)
        return super().get_changelist_instance(request)

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            names = models.Q()
            for code, _name in settings.LANGUAGES:
                names |= models.Q(**{f"submitted_name__{code}__icontains": term})
            queryset |= self.get_queryset(request).filter(names)
        return queryset, duplicates

    @admin.display(description=_("organization"))
    def organization_record(self, signon):
        """The organization's record, if this coalition may read it; else what was typed."""
        if own_record(viewer.get(None), signon.organization):
            url = reverse("admin:signatures_organization_change", args=[signon.organization_id])
            return format_html('<a href="{}">{}</a>', url, pick(signon.organization.name))
        return pick(signon.submitted_name)

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("q"):
            audit.log(
                request.user, "searched sign-ons", "signatures.signon", query=request.GET["q"]
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        # An organizer may change how a standing signature is shown: the counts and the
        # public record follow.
        before = SignOn.objects.get(pk=obj.pk) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if before:
                obj.record_changes(before)

    @admin.display(description=_("organization"))
    def organization_name(self, signon):
        return pick(signon.submitted_name)

    def get_queryset(self, request):
        # Every admin view reads its rows here first: the display methods then serve this
        # request's organizer, never the last one this thread served.
        viewer.set(request)
        return super().get_queryset(request).with_already_approved()

    def get_changelist(self, request, **kwargs):
        return SignOnChangeList

    def get_urls(self):
        return [
            path(
                "import/<int:statement>/",
                self.admin_site.admin_view(self.import_view),
                name="signatures_signon_import",
            ),
            path(
                "<int:pk>/details/",
                self.admin_site.admin_view(self.details_view),
                name="signatures_signon_details",
            ),
            path(
                "<int:pk>/release/",
                self.admin_site.admin_view(self.release_view),
                name="signatures_signon_release",
            ),
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="signatures_signon_decide",
            ),
            *super().get_urls(),
        ]

    def moderated(self, request, pk: int) -> SignOn:
        signon = get_object_or_404(
            SignOn.objects.select_related("organization", "statement"), pk=pk
        )
        if not self.allowed(request, MODERATION, signon):
            raise PermissionDenied
        return signon

    def import_view(self, request, statement: int):
        """Import signatories: paste or upload, preview with duplicate flags, fix, confirm."""
        statement = get_object_or_404(Statement, pk=statement)
        # Bringing in a list is moderation work, not editing.
        if not request.user.is_superuser and statement.coalition_id not in coalition_ids(
            request.user, MODERATION
        ):
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
            context["rows"] = imports.preview(rows, languages, visible_organizations(request))
            context["languages"] = languages
            context["previewed"] = imports.digest(rows)
        return TemplateResponse(request, "admin/signatures/import.html", context)

    def details_view(self, request, pk: int):
        """The submission's details beside the organization's approved record; the moderator
        ticks what to accept, and only that changes the public identity. A record that other
        coalitions' sign-ons also fed is neither shown nor changed from one coalition."""
        signon = self.moderated(request, pk)
        if not own_record(request, signon.organization):
            raise PermissionDenied
        if request.method == "POST":
            try:
                applied = signon.accept_details(request.POST.getlist("fields"), by=request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                if applied:
                    audit.log(request.user, "accepted details", signon, fields=applied)
                    self.message_user(
                        request,
                        _("The organization's public details now include: %(fields)s.")
                        % {"fields": ", ".join(applied)},
                        messages.SUCCESS,
                    )
            return redirect("admin:signatures_signon_change", signon.pk)
        return TemplateResponse(
            request,
            "admin/signatures/details.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Proposed details"),
                "signon": signon,
                "changes": signon.proposed_changes(),
                "opts": self.model._meta,
            },
        )

    def release_view(self, request, pk: int):
        """Approve one held claim, after the moderator checked with the organization."""
        signon = self.moderated(request, pk)
        if request.method != "POST":
            return TemplateResponse(
                request,
                "admin/signatures/release.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Approve a held sign-on"),
                    "signon": signon,
                    "opts": self.model._meta,
                },
            )
        try:
            signon.approve(by=request.user, release=True)
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            audit.log(request.user, "approved a held claim", signon)
            self.message_user(request, _("The held sign-on is approved."), messages.SUCCESS)
        return redirect("admin:signatures_signon_change", signon.pk)

    @admin.display(description=_("statement"), ordering="statement")
    def statement_title(self, signon):
        # Not the statement itself, which the list would keep on one line.
        return str(signon.statement)

    @admin.display(description=_("e-mail matches the approved website"))
    def domain_signal(self, signon):
        if getattr(signon, "sealed", False):
            return "–"
        match = signon.email_matches_website()
        return {True: _("yes"), False: _("no"), None: "–"}[match]

    @admin.display(description=_("possible duplicates"))
    def duplicate_signal(self, signon):
        flags = []
        if signon.held:
            flags.append(str(_("held: claims a listed organization")))
        elif signon.claim:
            flags.append(str(_("claims a listed organization")))
        if (
            signon.status in (SignOn.Status.PENDING, SignOn.Status.UNCONFIRMED)
            and signon.already_approved()
        ):
            flags.append(str(_("already signed this statement")))
        lookalikes = getattr(signon, "lookalikes", None)
        if lookalikes is None:
            lookalikes = signon.organization.near_duplicates(
                limit=3, among=visible_organizations(viewer.get(None))
            )
        flags += [pick(org.name) for org, _score in lookalikes]
        return "; ".join(flags) or "–"

    @admin.display(description=_("signals"))
    def signals(self, signon):
        if not signon.pk:
            return "–"
        organization = signon.organization
        mine = seen_by(viewer.get(None))
        match, compared = signon.domain_signal(mine)
        visible = organization.known_to(mine)
        if signon.claim and not visible:
            # Another coalition's signatory, not listed publicly: its name and details stay
            # sealed; only that the name is taken shows (the claim is held for a check).
            claim = _("yes: an organization that signed with another coalition")
        elif signon.claim:
            claim = format_html(
                '{} <a href="{}">{}</a>{}',
                _("It names an organization already listed:"),
                reverse("admin:signatures_organization_change", args=[organization.pk]),
                pick(organization.name),
                _(" — held until a moderator checks with it.") if signon.held else "",
            )
        else:
            claim = _("no: a new organization")
        known = organization.known_contact() if signon.held else None
        lines = [
            (
                _("Address at the organization's domain"),
                format_html(
                    "{} ({})",
                    {True: _("yes"), False: _("no"), None: _("nothing to compare")}[match],
                    compared,
                ),
            ),
            (_("Claims a listed organization"), claim),
            (
                _("Already approved for this statement"),
                _("yes") if signon.already_approved() else _("no"),
            ),
            (
                _("Earlier statements signed from this address or domain"),
                ", ".join(str(s) for s in signon.earlier_statements()) or _("none"),
            ),
            (
                _("Earlier statements of the organization, by whoever signed for it"),
                ", ".join(str(s) for s in signon.organization_statements()) or _("none"),
            ),
        ]
        if signon.held:
            lines.append(
                (
                    _("The organization's known contact"),
                    _("told that someone used its name")
                    if signon.claim_notified_at
                    else (_("not told yet") if known else _("none on record")),
                )
            )
        changes = signon.proposed_changes(mine)
        proposal = (
            format_html(
                '<p><strong>{}</strong></p><table>{}</table><p><a href="{}">{}</a></p>',
                _("It proposes to change the organization's public details:"),
                format_html_join(
                    "",
                    "<tr><th>{}</th><td><del dir='auto'>{}</del></td><td><ins dir='auto'>{}</ins>"
                    "</td></tr>",
                    ((c["label"], c["current"] or "–", c["proposed"]) for c in changes),
                ),
                reverse("admin:signatures_signon_details", args=[signon.pk]),
                _("Review and accept some of these details…"),
            )
            if changes
            else ""
        )
        release = (
            format_html(
                '<p><a class="button" href="{}">{}</a></p>',
                reverse("admin:signatures_signon_release", args=[signon.pk]),
                _("Checked with the organization? Approve this held sign-on…"),
            )
            if signon.held and signon.status == SignOn.Status.PENDING
            else ""
        )
        dupes = format_html_join(
            ", ",
            '<a href="{}">{}</a> ({}%)',
            (
                (
                    reverse("admin:signatures_organization_change", args=[org.pk]),
                    pick(org.name),
                    score,
                )
                for org, score in signon.organization.near_duplicates(
                    among=visible_organizations(viewer.get(None))
                )
            ),
        )
        return format_html(
            "{}{}{}<p><strong>{}</strong> {}</p>",
            format_html_join("", "<p><strong>{}:</strong> {}</p>", lines),
            proposal,
            release,
            _("Organizations with similar names (merge them from the organization page):"),
            dupes or "–",
        )

    def decide(self, request, signons, decision: str, reason: str = "") -> None:
        """Approve or reject each sign-on by its own model step, log who did it and say what
        happened: the list's actions and the buttons on a sign-on's page both come here."""
        done, problems = 0, []
        for signon in signons:
            try:
                if decision == "approve":
                    signon.approve(by=request.user)
                    audit.log(request.user, "approved", signon)
                else:
                    signon.reject(reason=reason, by=request.user)
                    audit.log(request.user, "rejected", signon, reason=reason)
                done += 1
            except ValueError as error:
                problems.append(f"{pick(signon.submitted_name)}: {error}")
        if done:
            if decision == "approve":
                text = ngettext("%d sign-on approved.", "%d sign-ons approved.", done)
            else:
                text = ngettext("%d sign-on rejected.", "%d sign-ons rejected.", done)
            self.message_user(request, text % done, messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @method_decorator(require_POST)
    def decide_view(self, request, object_id: str):
        """The Approve and Reject buttons of a sign-on's own page."""
        signon = self.get_object(request, unquote(object_id))
        if signon is None:
            raise Http404
        if not self.has_change_permission(request, signon):
            raise PermissionDenied
        decision = request.POST.get("decision")
        if decision not in ("approve", "reject"):
            return HttpResponseBadRequest()
        reason = request.POST.get("reason", "").strip()[:2000]
        self.decide(request, [signon], decision, reason)
        return redirect("admin:signatures_signon_change", signon.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page shows the contact's name, role and address: who looked is logged.
        audit.log(request.user, "viewed contact data", f"signatures.signon#{object_id}")
        signon = self.get_object(request, unquote(object_id))
        decidable = (
            signon is not None
            and signon.status == SignOn.Status.PENDING
            and self.has_change_permission(request, signon)
        )
        # A held claim is approved only after checking with the organization (release_view).
        context = {"decidable": decidable, "approvable": decidable and not signon.held}
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), **context}
        )

    @admin.action(description=_("Approve the selected sign-ons"))
    def approve(self, request, queryset):
        self.decide(request, queryset.select_related("statement", "organization"), "approve")

    @admin.action(description=_("Reject the selected sign-ons…"))
    def reject(self, request, queryset):
        if "apply" in request.POST:
            reason = request.POST.get("reason", "").strip()[:2000]
            self.decide(request, queryset.select_related("statement"), "reject", reason)
            return None
        return TemplateResponse(
            request,
            "admin/signatures/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject sign-ons"),
                "signons": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Remove the selected signatures as not genuine"))
    def remove(self, request, queryset):
        """Someone signed in an organization's name: the signature leaves the list and the
        count, and the name it carried leaves the public record."""
        done, problems = 0, []
        for signon in queryset.select_related("statement"):
            try:
                signon.remove(by=request.user)
                audit.log(request.user, "removed as not genuine", signon)
                done += 1
            except ValueError as error:
                problems.append(f"{pick(signon.submitted_name)}: {error}")
        if done:
            self.message_user(
                request,
                ngettext(
                    "%d signature removed; its name is erased from the public record.",
                    "%d signatures removed; their names are erased from the public record.",
                    done,
                )
                % done,
                messages.SUCCESS,
            )
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description=_("Erase the names of the selected withdrawn signatures"))
    def forget(self, request, queryset):
        """An organization that withdrew asks to be forgotten (by mail, by phone): its name
        leaves the public record, which still verifies."""
        done, problems = 0, []
        for signon in queryset.select_related("statement"):
            try:
                if signon.forget():
                    audit.log(request.user, "erased name", signon)
                    done += 1
            except ValueError as error:
                problems.append(f"{pick(signon.submitted_name)}: {error}")
        if done:
            self.message_user(
                request,
                ngettext(
                    "%d name erased from the public record.",
                    "%d names erased from the public record.",
                    done,
                )
                % done,
                messages.SUCCESS,
            )
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description=_("Send the organizations a link to change their listing or name"))
    def send_details_link(self, request, queryset):
        """Only the organization can show its hidden name, or change the name it gave: when
        it asks an organizer, the organizer sends it this link, valid for a few days."""
        sent = 0
        for signon in queryset.select_related("statement"):
            if signon.send_details_link():
                audit.log(request.user, "sent the listing link", signon)
                sent += 1
        self.message_user(
            request,
            ngettext(
                "A link was sent to %d organization's confirmed address.",
                "A link was sent to %d organizations' confirmed addresses.",
                sent,
            )
            % sent,
            messages.SUCCESS if sent else messages.WARNING,
        )


class OrganizationNameForm(forms.ModelForm):
    class Meta:
        model = OrganizationName
        fields = ["name"]

    def clean_name(self):
        # A spelling is found by its key: without one it would never match, and a key that
        # another organization holds already means the two are one organization.
        name = self.cleaned_data["name"]
        if "name" not in self.changed_data:
            return name
        key = dedupe.name_key(name)
        if not key:
            raise forms.ValidationError(_("A name needs letters or digits."))
        known = OrganizationName.objects.filter(key=key).exclude(pk=self.instance.pk).first()
        if known and known.organization_id != self.instance.organization_id:
            raise forms.ValidationError(
                _("%(organization)s is already known by this name: merge the two instead.")
                % {"organization": pick(known.organization.name)}
            )
        if known:
            raise forms.ValidationError(_("This organization already has this name."))
        self.instance.key = key
        return name


class OrganizationNameFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        keys = [
            form.instance.key
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.instance.key
        ]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("The same name is given twice."))


class OrganizationNameInline(ParentScoped, LabelledTabularInline):
    model = OrganizationName
    form = OrganizationNameForm
    formset = OrganizationNameFormSet
    extra = 0
    fields = ["name", "key"]
    readonly_fields = ["key"]


@admin.register(Organization)
class OrganizationAdmin(CoalitionScoped, admin.ModelAdmin):
    # A moderator sees the organizations that signed only their coalitions' statements: a
    # record shared with another coalition holds that coalition's data and is changed by
    # administrators only.
    coalition_lookup = "signons__statement__coalition"
    view_roles = change_roles = MODERATION
    # They come from sign-ons and imports; one added by hand, having signed nothing, would be
    # out of every moderator's sight.
    add_roles = NOBODY
    action_roles = {"merge": MODERATION}
    list_display = ["__str__", "country", "city", "website", "signed"]
    search_fields = ["names__name", "names__key"]
    inlines = [OrganizationNameInline]
    readonly_fields = ["source", "website_source", "similar"]
    actions = ["merge"]

    def get_queryset_for(self, model, ids):
        return model._default_manager.of_coalitions(ids)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.gave_its_name():
            # The organization's own name: only it can change it (SignOn.change_details).
            fields.append("name")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        viewer.set(request)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        # What an organizer types here is theirs, and the domain signal says so.
        if "website" in form.changed_data:
            obj.website_source = Organization.Source.ORGANIZER if obj.website else ""
        super().save_model(request, obj, form, change)
        if obj.is_known and "name" in form.changed_data:
            obj.add_names(obj.name)

    def get_inlines(self, request, obj):
        # A proposed organization's names are one submission's word: they become spellings
        # others are matched to only when a moderator approves it.
        return self.inlines if obj is None or obj.is_known else []

    def get_queryset(self, request):
        approved = (
            SignOn.objects.public()
            .filter(organization=models.OuterRef("pk"))
            .order_by()
            .values("organization")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        viewer.set(request)  # as SignOnAdmin.get_queryset
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            # Only the records no other coalition's sign-ons fed (as get_queryset_for).
            queryset = queryset.of_coalitions(coalition_ids(request.user, self.view_roles))
        return queryset.annotate(approved_signatures=Coalesce(models.Subquery(approved), 0))

    @admin.display(description=_("approved signatures"), ordering="approved_signatures")
    def signed(self, organization):
        return organization.approved_signatures

    @admin.display(description=_("organizations with similar names"))
    def similar(self, organization):
        if not organization.pk:
            return "–"
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a> ({}%)',
                (
                    (
                        reverse("admin:signatures_organization_change", args=[org.pk]),
                        pick(org.name),
                        score,
                    )
                    for org, score in organization.near_duplicates(
                        among=visible_organizations(viewer.get(None))
                    )
                ),
            )
            or "–"
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Merge the selected organizations…"))
    def merge(self, request, queryset):
        organizations = list(queryset)
        if len(organizations) < 2:
            self.message_user(
                request, _("Select at least two organizations to merge."), messages.WARNING
            )
            return None
        if not request.user.is_superuser:
            # A merge moves signatures of every statement: only when all of them are this
            # moderator's coalitions'.
            mine = coalition_ids(request.user, MODERATION)
            others = SignOn.objects.filter(organization__in=organizations).exclude(
                statement__coalition_id__in=mine
            )
            if others.exists():
                self.message_user(
                    request,
                    _(
                        "These organizations also signed other coalitions' statements; "
                        "ask an administrator to merge them."
                    ),
                    messages.ERROR,
                )
                return None
        keep_id = request.POST.get("keep")
        if "apply" in request.POST and keep_id:
            keep = next((o for o in organizations if str(o.pk) == keep_id), None)
            if keep is None:
                self.message_user(request, _("Choose which organization to keep."), messages.ERROR)
                return None
            for other in organizations:
                if other.pk != keep.pk:
                    try:
                        keep.merge(other, by=request.user)
                    except ConsentRequired as refusal:
                        self.message_user(request, str(refusal), messages.ERROR)
                        return None
                    audit.log(request.user, "merged", keep, merged=other.pk)
            self.message_user(
                request,
                _("Merged into %(name)s; every signature was kept.") % {"name": pick(keep.name)},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/signatures/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge organizations"),
                "organizations": organizations,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Notice)
class NoticeAdmin(CoalitionScoped, admin.ModelAdmin):
    """Notices are started from the statement's actions; here organizers follow them."""

    coalition_lookup = "statement__coalition"
    list_display = ["statement", "kind", "created_at", "finished_at", "progress"]
    list_filter = ["kind", ("statement", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = [
        "statement",
        "kind",
        "version",
        "created_at",
        "created_by",
        "finished_at",
        "progress",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{
                    f"deliveries_{value}": models.Count(
                        "deliveries", filter=models.Q(deliveries__status=value)
                    )
                    for value in Delivery.Status.values
                }
            )
        )

    @admin.display(description=_("deliveries"))
    def progress(self, notice):
        return ", ".join(
            f"{label}: {getattr(notice, f'deliveries_{value}')}"
            for value, label in Delivery.Status.choices
        )
