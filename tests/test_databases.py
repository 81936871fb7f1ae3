"""What the suite relies on from its databases: SQLite set for concurrent writers, writers at
once on either database losing nothing, and a test database of each run's own."""

import os
import threading

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from tadamun.record import models as record
from tadamun.record.verify import check_log
from tadamun.statements.models import Tally
from tests.conftest import require
from tests.factories import make_statement


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def at_once(work, threads: int = 6) -> list[BaseException]:
    """Run `work` in `threads` threads, each on its own connection; the errors they met."""
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run():
        try:
            start.wait()
            work()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_wait_their_turn_and_no_count_is_lost():
    statement = make_statement()

    def approve_twenty():
        for _ in range(20):
            Tally.add(statement.pk, organizations=1)

    assert at_once(approve_twenty) == []  # no "database is locked", no deadlock
    assert Tally.objects.get(statement=statement).organizations == 6 * 20


@pytest.mark.django_db(transaction=True)
def test_record_entries_written_at_once_still_form_one_log():
    def append_ten():
        for _ in range(10):
            record.append(record.Entry.Action.APPROVED, "s", signature=1)

    assert at_once(append_ten) == []
    lines = [e.public() for e in record.Entry.objects.order_by("sequence")]
    assert [line["sequence"] for line in lines] == list(range(1, 61))
    problems, _leaves = check_log(lines)
    assert problems == []


def test_each_run_has_a_test_database_of_its_own(django_db_setup):
    name = str(connection.settings_dict["NAME"])
    wanted = os.environ.get("TEST_DATABASE_NAME")
    assert (wanted in name) if wanted else (f"_{os.getpid()}_" in name)
    if connection.vendor == "sqlite":
        assert name.startswith(str(settings.DATA_DIR)) and name.endswith(".sqlite3")


def test_the_postgresql_for_the_second_pass_is_one_django_supports():
    """make test runs the whole suite a second time on the PostgreSQL named here."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        require("REQUIRE_POSTGRES", "no PostgreSQL named: set TEST_POSTGRES_URL to run on it")
    with psycopg.connect(url, connect_timeout=5) as pg:
        version = pg.info.server_version
    assert version >= 140000, f"PostgreSQL {version}: Django 5.2 needs 14 or later"
