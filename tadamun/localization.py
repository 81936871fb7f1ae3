"""Dates, times and numbers as each language writes them, from CLDR through Babel; Arabic is
written as in Syria (ar_SY: كانون الأول, not ديسمبر)."""

import datetime

from babel import dates, numbers
from django.utils import timezone
from django.utils.translation import get_language, to_locale

# The CLDR locale for each language of the site; others follow Django's code (fr → fr).
LOCALES = {"ar": "ar_SY", "en": "en"}


def locale_for(language: str | None = None) -> str:
    language = language or get_language() or "en"
    return LOCALES.get(language, to_locale(language))


def format_date(value: datetime.date | None, width: str = "long", language: str | None = None):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.format_date(value, width, locale=locale_for(language))


def format_datetime(
    value: datetime.datetime | None, width: str = "medium", language: str | None = None
) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.format_datetime(value, width, locale=locale_for(language))


def format_number(value: int | float | None, language: str | None = None) -> str:
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=locale_for(language))
