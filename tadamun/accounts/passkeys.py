"""Passkeys through django-otp-webauthn, as a second factor after the password: its views,
with each enrolment and verification written to the audit log and a verified sign-in
remembered on the device (throttle.py). Included under each language's desk/passkeys/."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views

from tadamun.audit import models as audit

from . import throttle


class Register(views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            audit.log(self.request.user, "added a second factor", "passkey")
        return response


class Verify(views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        audit.log(self.request.user, "second factor verified", "sign-in", factor="passkey")

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            throttle.remember(self.request, response, self.request.user.get_username())
        return response


app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path("registration/complete/", Register.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path("authentication/complete/", Verify.as_view(), name="credential-authentication-complete"),
    # The library's messages, in the page's language (Arabic from tadamun/locale, djangojs).
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
