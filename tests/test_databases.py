import os

import psycopg
import pytest
from django.db import connection

from tests.conftest import require

pytestmark = pytest.mark.django_db


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_suite_also_runs_on_postgresql():
    """make test runs the whole suite a second time on the PostgreSQL named here."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        require("REQUIRE_POSTGRES", "no PostgreSQL named: set TEST_POSTGRES_URL to run on it")
    with psycopg.connect(url, connect_timeout=5) as pg:
        assert pg.execute("select 1").fetchone() == (1,)
