"""Exports, press kit and embeds of the public list."""

import csv
import io
import json
import tracemalloc

import pytest

from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Organization, SignOn
from tests.conftest import require
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def statement(client):
    statement = make_statement()
    import_signatories(
        statement, [{"en": "Baytna Syria", "ar": "بيتنا سوريا"}, {"en": "=cmd|' /C calc'!A0"}]
    )
    sign_on(
        client,
        statement,
        name_en="Kesh Malek",
        name_ar="",
        listing="counted",
        contact_email="secret@kesh.org",
    )
    hidden = SignOn.objects.get(listing="counted")
    hidden.confirm()
    hidden.approve()
    return statement


def test_the_json_export_lists_named_signatures_and_counts_all(client, statement):
    data = json.loads(body(client.get(f"/data/{statement.slug}/signatories.json")))
    assert data["count"]["organizations"] == 3 and data["count"]["listed"] == 2
    assert [row["name"].get("en") for row in data["signatories"]] == [
        "Baytna Syria",
        "=cmd|' /C calc'!A0",
    ]
    assert "Kesh" not in json.dumps(data) and "secret@" not in json.dumps(data)


def test_the_csv_export_reads_in_a_spreadsheet_without_formulas(client, statement):
    response = client.get(f"/data/{statement.slug}/signatories.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["signature", "organization", "name_ar", "name_en", "country", "version"]
    assert rows[1][2:4] == ["بيتنا سوريا", "Baytna Syria"]
    assert rows[2][3].startswith("'=")  # neutralised
    assert "Kesh" not in text


def many(statement, n):
    organizations = Organization.objects.bulk_create(
        Organization(name={"en": f"Organization {i}"}) for i in range(n)
    )
    SignOn.objects.bulk_create(
        SignOn(
            statement=statement,
            organization=o,
            submitted_name=o.name,
            country="Syria",
            status="approved",
            version=statement.current_version,
        )
        for o in organizations
    )


def peak_memory_of(client, path) -> tuple[int, int]:
    tracemalloc.start()
    response = client.get(path)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size


def test_exports_stream_in_constant_memory():
    from django.test import Client

    small, large = make_statement(), make_statement()
    many(small, 2_000)
    many(large, 40_000)
    client = Client()
    for kind in ("json", "csv"):
        small_peak, small_size = peak_memory_of(client, f"/data/{small.slug}/signatories.{kind}")
        large_peak, large_size = peak_memory_of(client, f"/data/{large.slug}/signatories.{kind}")
        assert large_size > 15 * small_size
        # Twenty times the rows, about the same memory: nothing holds the whole list.
        assert large_peak < 1.5 * small_peak + 256 * 1024, (kind, small_peak, large_peak)


def test_the_badge_shows_the_live_count(client, statement):
    response = client.get(f"/en/statements/{statement.slug}/badge.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "3 organizations" in response.content.decode()
    assert "public" in response["Cache-Control"]
    assert "<script" not in response.content.decode()


def test_only_the_card_may_be_framed_by_other_sites(client, statement):
    card = client.get(f"/ar/statements/{statement.slug}/card/")
    assert card.status_code == 200
    assert "X-Frame-Options" not in card
    assert "frame-ancestors *" in card["Content-Security-Policy"]
    assert "<script" not in card.content.decode()
    page = client.get(f"/ar/statements/{statement.slug}/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_press_kit_prints_both_languages_and_the_whole_list(client, statement):
    page = client.get(f"/en/statements/{statement.slug}/press/").content.decode()
    assert '<article class="press-text" lang="ar" dir="rtl">' in page
    assert '<article class="press-text" lang="en" dir="ltr">' in page
    assert "<bdi>Baytna Syria</bdi>" in page and "Kesh" not in page
    assert "3 signatory organizations" in page


def test_unknown_statements_have_no_exports(client):
    assert client.get("/data/nothing/signatories.csv").status_code == 404
    assert client.get("/en/statements/nothing/badge.svg").status_code == 404


def test_the_press_kit_pdf_renders_with_nothing_fetched(client, statement):
    try:
        import weasyprint  # noqa: F401
    except OSError:
        require("REQUIRE_PDF", "WeasyPrint needs the system's Pango library (libpango-1.0-0)")
    response = client.get(f"/ar/statements/{statement.slug}/press.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000
