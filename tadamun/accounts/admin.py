"""Organizers' second factors stay out of the admin: the apps' own pages there would show an
authenticator's key to any superuser. A lost factor is reset on the server instead
(`manage.py reset_second_factor`); django-axes' tables are kept out too (AXES_ENABLE_ADMIN)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
