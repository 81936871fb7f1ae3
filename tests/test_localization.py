"""Dates and numbers as each language writes them: Syrian Arabic months, English months."""

import datetime

from django.utils import translation

from tadamun.localization import format_date, format_datetime, format_number


def test_arabic_dates_use_the_syrian_month_names():
    assert format_date(datetime.date(2016, 12, 15), language="ar") == "15 كانون الأول 2016"


def test_english_dates_use_english_month_names():
    assert format_date(datetime.date(2016, 12, 15), language="en") == "December 15, 2016"


def test_the_active_language_is_used_when_none_is_named():
    with translation.override("ar"):
        assert "تشرين الثاني" in format_date(datetime.date(2026, 11, 25))
        assert "2026" in format_datetime(datetime.datetime(2026, 11, 25, 9, 30))


def test_numbers_are_grouped():
    assert format_number(1234567, language="en") == "1,234,567"
