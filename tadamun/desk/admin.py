"""Organizers' accounts in the admin, as Django's own pages with what a screen reader cannot
use taken out: the two-box permission picker (its help icons carry names ARIA forbids there)
and the split date-and-time boxes of dates nobody should type (they had no label); and no
permission over second factors or sign-in failures to grant."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_noop

# Strings of Django's user pages that its Arabic catalogue lacks: listed here so that ours,
# which is read first, carries them.
DJANGO_STRINGS_MISSING_IN_ARABIC = [
    gettext_noop("Password-based authentication"),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. "
        "If disabled, they may still be able to authenticate using other backends, "
        "such as Single Sign-On or LDAP."
    ),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
]


# Second factors, sessions and sign-in failures are kept by the code (tadamun/accounts), never
# granted: their permissions are not offered (nor their libraries' untranslated names shown).
ACCOUNT_SECURITY_APPS = ["accounts", "axes", "django_otp_webauthn", "otp_static", "otp_totp"]


def grantable(db_field, formfield):
    if formfield is not None and db_field.name in ("user_permissions", "permissions"):
        formfield.queryset = formfield.queryset.exclude(
            content_type__app_label__in=ACCOUNT_SECURITY_APPS
        )
    return formfield


class OrganizerAdmin(UserAdmin):
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return grantable(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))


class TeamAdmin(GroupAdmin):
    filter_horizontal = ()

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return grantable(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))


admin.site.unregister(User)
admin.site.register(User, OrganizerAdmin)
admin.site.unregister(Group)
admin.site.register(Group, TeamAdmin)
