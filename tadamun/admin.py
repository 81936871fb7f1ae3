"""The admin site, kept for superusers' maintenance and organizers who still use it: its name
in each language, and on its first page how many sign-ons wait for a decision. It asks for the
second factor as the desk does, and signs in at the desk's page, so that both have one
sign-in: throttled, audited, in the organizer's language (tadamun/accounts)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tadamun.accounts import factors
from tadamun.signatures.models import SignOn


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name: the admin labels a table's
    columns in its header only, which a screen reader does not read out with each input."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # the formset's own too, such as Delete
                for name, field in form.fields.items():
                    field.widget.attrs.setdefault("aria-label", field.label or name)

        return Labelled


class Site(admin.AdminSite):
    site_header = _("Tadamun")
    site_title = _("Tadamun")

    def has_permission(self, request):
        return super().has_permission(request) and factors.passed(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('desk:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), **self.waiting(request)})

    def waiting(self, request) -> dict:
        """The sign-ons this user may decide on that wait for a decision, and the list of them."""
        signons = self._registry.get(SignOn)
        if signons is None or not signons.has_view_permission(request):
            return {}
        pending = signons.get_queryset(request).filter(status=SignOn.Status.PENDING)
        return {
            "pending_signons": pending.count(),
            "pending_signons_url": reverse("admin:signatures_signon_changelist")
            + f"?status={SignOn.Status.PENDING}",
        }
