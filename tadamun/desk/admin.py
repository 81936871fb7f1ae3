"""Organizers' accounts in the admin, as Django's own pages with what a screen reader cannot
use taken out: the two-box permission picker (its help icons carry names ARIA forbids there)
and the split date-and-time boxes of dates nobody should type (they had no label)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User


class OrganizerAdmin(UserAdmin):
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]


class TeamAdmin(GroupAdmin):
    filter_horizontal = ()


admin.site.unregister(User)
admin.site.register(User, OrganizerAdmin)
admin.site.unregister(Group)
admin.site.register(Group, TeamAdmin)
