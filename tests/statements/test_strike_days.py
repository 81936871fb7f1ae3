"""Strike days: before, during and after, in the strike's own time zone."""

import datetime

import pytest
from django.utils import timezone

from tadamun.public.statements import strike_day
from tadamun.signatures.models import Pledge
from tadamun.statements.models import StrikeDay
from tests.factories import make_statement, release_next

UTC = datetime.UTC


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def test_a_window_across_midnight_ends_the_next_day_in_another_time_zone():
    day = StrikeDay(
        date=datetime.date(2030, 5, 1),
        start_time=datetime.time(22),
        end_time=datetime.time(2),
        time_zone="Asia/Tokyo",
    )
    assert day.starts_at == utc(2030, 5, 1, 13)
    assert day.ends_at == utc(2030, 5, 1, 17)
    assert day.phase(utc(2030, 5, 1, 12, 59)) == "before"
    assert day.phase(utc(2030, 5, 1, 16, 59)) == "during"
    assert day.phase(utc(2030, 5, 1, 17)) == "after"


def test_a_window_across_a_daylight_saving_change_keeps_its_wall_clock_times():
    # Clocks in New York jump from 02:00 to 03:00 on 10 March 2030.
    day = StrikeDay(
        date=datetime.date(2030, 3, 10),
        start_time=datetime.time(1),
        end_time=datetime.time(4),
        time_zone="America/New_York",
    )
    assert day.starts_at == utc(2030, 3, 10, 6)  # 01:00 EST
    assert day.ends_at == utc(2030, 3, 10, 8)  # 04:00 EDT: two real hours later
    assert day.phase(utc(2030, 3, 10, 7, 59)) == "during"
    assert day.phase(utc(2030, 3, 10, 8)) == "after"
    info = strike_day(day, now=utc(2030, 3, 9))
    assert info["utc_offset"] == "UTC-05:00"


def test_a_whole_day_in_a_zone_far_from_the_server():
    day = StrikeDay(
        date=datetime.date(2030, 1, 15),
        start_time=datetime.time(0),
        end_time=datetime.time(0),
        time_zone="Pacific/Kiritimati",  # UTC+14
    )
    assert day.starts_at == utc(2030, 1, 14, 10)
    assert day.ends_at == utc(2030, 1, 15, 10)
    assert day.phase(utc(2030, 1, 15, 9)) == "during"


@pytest.mark.django_db
def test_before_the_page_shows_the_date_time_zone_and_a_countdown(client):
    statement = make_statement()
    StrikeDay.objects.create(
        statement=statement,
        date=timezone.localdate() + datetime.timedelta(days=10),
        start_time=datetime.time(9),
        end_time=datetime.time(17),
        time_zone="Asia/Damascus",
    )
    en = client.get(statement.get_absolute_url()).content.decode()
    assert "Asia/Damascus" in en and "UTC+03:00" in en
    assert "Starts in 1\xa0week" in en  # Django keeps number and unit together
    ar = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    assert "Asia/Damascus" in ar
    assert "<script" not in en


@pytest.mark.django_db
def test_during_the_page_says_on_strike_now_with_current_figures(client):
    statement = make_statement()
    now = timezone.now()
    StrikeDay.objects.create(
        statement=statement,
        date=(now - datetime.timedelta(hours=1)).date(),
        start_time=(now - datetime.timedelta(hours=1)).time(),
        end_time=(now + datetime.timedelta(hours=1)).time(),
        time_zone="UTC",
    )
    for n in range(4):
        Pledge.objects.create(
            statement=statement, email_hash=f"{n:064}", joins_strike=n < 2
        ).confirm()
    striking = release_next(statement).figures["striking"]
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "On strike now" in page
    assert f"{striking} {'person joins' if striking == 1 else 'people join'}." in page


@pytest.mark.django_db
def test_after_the_page_shows_the_tally(client):
    statement = make_statement()
    StrikeDay.objects.create(statement=statement, date=datetime.date(2016, 12, 14))
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "0 organizations paused work." in page
    assert "On strike now" not in page and "Starts in" not in page
