"""The admin asks for the second factor as the desk does, and signs in at the desk's page, so
that both have one sign-in: throttled, audited, in the organizer's language."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import factors


class OrganizerAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and factors.passed(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('desk:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
