"""The moderation screen: confirmed sign-ons wait here for organizers, with the signals
they need to trust them; organizations can be merged here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseBadRequest
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

from . import contacts, dedupe, imports
from .addresses import fingerprint
from .models import Delivery, Notice, Organization, OrganizationName, SignOn


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
    queries, instead of reading every known name again for each row."""

    def get_results(self, request):
        super().get_results(request)
        found = Organization.near_duplicates_of([s.organization for s in self.result_list], 3)
        for signon in self.result_list:
            signon.lookalikes = found[signon.organization_id]


@admin.register(SignOn)
class SignOnAdmin(CoalitionScoped, admin.ModelAdmin):
    coalition_lookup = "statement__coalition"
    view_roles = change_roles = MODERATION
    action_roles = {
        "approve": MODERATION,
        "reject": MODERATION,
        "remove": MODERATION,
        "forget": MODERATION,
        "export_contacts": MODERATION,
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
    list_filter = [AwaitingFilter, "statement", "held", "claim", "listing", "imported"]
    # A contact address is found through its fingerprint (get_search_results), never stored.
    search_fields = ["organization__names__name"]
    list_select_related = ["organization", "statement", "version"]
    actions = ["approve", "reject", "remove", "forget", "export_contacts"]
    readonly_fields = [
        "contact",
        "statement",
        "organization",
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
                    "organization",
                    "submitted_name",
                    "version",
                ]
            },
        ),
        (
            _("Submitted details"),
            {"fields": ["country", "city", "website", "listing", "pauses_work", "language"]},
        ),
        (_("Contact (private)"), {"fields": ["contact"]}),
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

    def changelist_view(self, request, extra_context=None):
        if query := request.GET.get("q", "").strip():
            # What was searched for, never the term: it may be a person's address.
            audit.log(
                request.user,
                "searched sign-ons",
                "signatures.signon",
                by="e-mail address" if "@" in query else "name",
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

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        addresses_searched = [word for word in search_term.split() if "@" in word]
        if addresses_searched:
            # Each statement salts its fingerprints: one fingerprint per statement shown.
            match = models.Q(pk__in=[])
            for statement_id, salt in Statement.objects.filter(
                pk__in=queryset.values("statement_id")
            ).values_list("pk", "fingerprint_salt"):
                hashes = [fingerprint(a, salt, "contact") for a in addresses_searched]
                match |= models.Q(statement_id=statement_id, contact_hash__in=hashes)
            found = queryset.filter(match)
        return found, may_have_duplicates

    @admin.display(description=_("contact"))
    def contact(self, signon):
        lines = [
            (label, value)
            for label, value in (
                (_("Name"), signon.contact_name),
                (_("Role"), signon.contact_role),
                (_("E-mail address"), signon.contact_email),
            )
            if value
        ]
        sealed = (
            _(
                "Sealed for the coalition's organizers: read it in the encrypted export "
                "(action “Export contact details”), with your age key."
            )
            if signon.sealed_contact is not None
            else ""
        )
        if not lines and not sealed:
            return _("No contact details (imported, or deleted after the retention period).")
        return format_html(
            "{}<p>{}</p>", format_html_join("", "<p><strong>{}:</strong> {}</p>", lines), sealed
        )

    @admin.display(description=_("organization"))
    def organization_name(self, signon):
        return pick(signon.submitted_name)

    def get_queryset(self, request):
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
            context["rows"] = imports.preview(rows, languages)
            context["languages"] = languages
            context["previewed"] = imports.digest(rows)
        return TemplateResponse(request, "admin/signatures/import.html", context)

    def details_view(self, request, pk: int):
        """The submission's details beside the organization's approved record; the moderator
        ticks what to accept, and only that changes the public identity."""
        signon = self.moderated(request, pk)
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
            lookalikes = signon.organization.near_duplicates(limit=3)
        flags += [pick(org.name) for org, _score in lookalikes]
        return "; ".join(flags) or "–"

    @admin.display(description=_("signals"))
    def signals(self, signon):
        if not signon.pk:
            return "–"
        match, compared = signon.domain_signal()
        organization = signon.organization
        if signon.claim:
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
        changes = signon.proposed_changes()
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
                for org, score in signon.organization.near_duplicates()
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

    @admin.action(description=_("Export contact details (encrypted for the organizers' keys)"))
    def export_contacts(self, request, queryset):
        signons = list(queryset.select_related("statement__coalition").order_by("pk"))
        audit.log(
            request.user,
            "exported contact data",
            "signatures.signon",
            signatures=[s.pk for s in signons],
        )
        response = HttpResponse(contacts.export(signons), content_type="application/x-tar")
        response["Content-Disposition"] = 'attachment; filename="contacts.tar"'
        return response


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
    # Organizations are shared by every coalition; a moderator sees those that signed one of
    # their coalition's statements.
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
        return (
            super()
            .get_queryset(request)
            .annotate(approved_signatures=Coalesce(models.Subquery(approved), 0))
        )

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
                    for org, score in organization.near_duplicates()
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
                    audit.log(request.user, "merged", keep, merged=other.pk)
                    keep.merge(other, by=request.user)
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
    list_filter = ["kind", "statement"]
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
