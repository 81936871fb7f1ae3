"""Organizers import a list gathered elsewhere: paste or CSV, preview with flags, confirm."""

import html
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tadamun.record.models import Entry
from tadamun.signatures.imports import parse_csv, parse_names
from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement

pytestmark = pytest.mark.django_db

DEMO_LIST = settings.BASE_DIR / "tadamun/statements/demo/aleppo-2016-signatories.txt"
INPUT = re.compile(r'<input type="(?:text|hidden)" name="([^"]+)" value="([^"]*)"')


def confirmation_form(page: str) -> dict:
    """What a browser would post from the preview's confirmation form, unchanged."""
    form = page.split('name="confirm"')[0].rsplit("<form", 1)[1]
    data: dict[str, list[str]] = {}
    for name, value in INPUT.findall(form):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(html.unescape(value))
    return {**data, "confirm": "1"}


def test_importing_the_demo_list_yields_its_40_organizations(admin_client):
    statement = make_statement()
    text = DEMO_LIST.read_text()
    url = f"/admin/signatures/signon/import/{statement.pk}/"
    preview = admin_client.post(url, {"names": text, "country": "Syria"})
    page = preview.content.decode()
    # Each of the 40 rows: a name in each of the statement's two languages, and a country.
    assert page.count('name="row-') == 40 * 3
    # The 40 are distinct: nothing in the list is flagged as a lookalike of another.
    assert 'class="flagged"' not in page
    done = admin_client.post(url, confirmation_form(page))
    assert done.status_code == 302
    assert SignOn.objects.filter(statement=statement, imported=True).count() == 40
    assert Tally.objects.get(statement=statement).organizations == 40
    assert Entry.objects.filter(action="imported").count() == 40
    # Importing again adds nothing.
    again = admin_client.post(url, {"names": text})
    admin_client.post(url, confirmation_form(again.content.decode()))
    assert SignOn.objects.filter(statement=statement).count() == 40


def test_a_csv_keeps_every_language_column_and_each_rows_country(admin_client):
    statement = make_statement()
    url = f"/admin/signatures/signon/import/{statement.pk}/"
    data = (
        "name_en,name_ar,country\n"
        "Kesh Malek,كش ملك,Syria\n"
        "Baytna Syria,بيتنا سوريا,Turkey\n"
        ",منظمة بنفسج,\n"
    ).encode("utf-8-sig")
    upload = SimpleUploadedFile("list.csv", data, content_type="text/csv")
    page = admin_client.post(url, {"file": upload, "country": "Lebanon"}).content.decode()
    done = admin_client.post(url, confirmation_form(page))
    assert done.status_code == 302
    kesh = Organization.known_by({"en": "Kesh Malek"})
    assert kesh.name == {"en": "Kesh Malek", "ar": "كش ملك"} and kesh.country == "Syria"
    assert Organization.known_by({"ar": "بيتنا سوريا"}).country == "Turkey"
    # A row without a country takes the one given for the whole list.
    assert Organization.known_by({"ar": "منظمة بنفسج"}).country == "Lebanon"
    arabic = client_page(admin_client, statement, "ar")
    assert "كش ملك" in arabic and "بيتنا سوريا" in arabic


def client_page(client, statement, language: str) -> str:
    return client.get(f"/{language}/statements/{statement.slug}/").content.decode()


def test_names_edited_at_the_confirmation_step_are_previewed_again(admin_client):
    statement = make_statement()
    url = f"/admin/signatures/signon/import/{statement.pk}/"
    page = admin_client.post(url, {"names": "Violet Organization"}).content.decode()
    admin_client.post(url, confirmation_form(page))
    assert SignOn.objects.filter(statement=statement).count() == 1
    other = make_statement()
    url = f"/admin/signatures/signon/import/{other.pk}/"
    page = admin_client.post(url, {"names": "Life Makers"}).content.decode()
    form = confirmation_form(page)
    form["row-0-name_en"] = ["Violet Organisation"]  # typed at the confirmation step
    second = admin_client.post(url, form)
    assert second.status_code == 200  # nothing imported: a new preview instead
    assert not SignOn.objects.filter(statement=other).exists()
    again = second.content.decode()
    assert "The rows were changed" in again
    row = again.split('value="Violet Organisation"')[1].split("</tr>")[0]
    assert "Violet Organization" in row
    # Confirmed as previewed, it lands; the near-duplicate stays flagged for a merge.
    assert admin_client.post(url, confirmation_form(again)).status_code == 302
    assert SignOn.objects.filter(statement=other, imported=True).count() == 1


def test_the_shared_demo_file_with_its_comments_parses_to_40_names():
    shared = settings.BASE_DIR.parent / "shared/demo/aleppo-2016-signatories.txt"
    if not shared.exists():
        pytest.skip("../shared/demo is not beside this checkout")
    assert len(parse_names(shared.read_text())) == 40


def test_a_pasted_list_is_split_by_lines_semicolons_or_commas():
    assert parse_names("Baytna Syria; Kesh Malek؛ Masar") == ["Baytna Syria", "Kesh Malek", "Masar"]
    assert parse_names("Baytna Syria, Kesh Malek، بيتنا سوريا") == [
        "Baytna Syria",
        "Kesh Malek",
        "بيتنا سوريا",
    ]
    assert parse_names("1. Life Makers\n- Hope Team\n\n# a comment\n") == [
        "Life Makers",
        "Hope Team",
    ]


def test_a_csv_file_is_read_by_its_name_column():
    data = "country,name\nSyria,Baytna Syria\nTurkey,بيتنا سوريا\n".encode("utf-8-sig")
    assert parse_csv(data) == [
        {"names": {"en": "Baytna Syria"}, "country": "Syria"},
        {"names": {"ar": "بيتنا سوريا"}, "country": "Turkey"},
    ]


def test_the_preview_flags_names_already_known_and_lookalikes(admin_client):
    statement = make_statement()
    url = f"/admin/signatures/signon/import/{statement.pk}/"
    first = admin_client.post(url, {"names": "Coordination Committee for Camps and Refugees"})
    admin_client.post(url, confirmation_form(first.content.decode()))
    page = admin_client.post(
        url, {"names": "Coordination Committee for Camps and Refugess\nKesh Malek"}
    ).content.decode()
    row = page.split('value="Coordination Committee for Camps and Refugess"')[1].split("</tr>")[0]
    assert "Coordination Committee for Camps and Refugees" in row
    typo = admin_client.post(url, {"names": "Shades of Care\nShades of Caer"}).content.decode()
    assert "Shades of Care</td>" in typo.split('value="Shades of Caer"')[1].split("</tr>")[0]
    empty = admin_client.post(url, {"names": "  \n# nothing\n"})
    assert "No organization name was found" in empty.content.decode()


def test_arabic_spellings_of_listed_names_are_flagged_in_the_preview_and_the_admin(admin_client):
    statement = make_statement()
    url = f"/admin/signatures/signon/import/{statement.pk}/"
    page = admin_client.post(url, {"names": "Kesh Malek\nBaytna Syria"}).content.decode()
    admin_client.post(url, confirmation_form(page))
    page = admin_client.post(url, {"names": "كش ملك\nبيتنا سوريا"}).content.decode()
    assert page.count('class="flagged"') == 2
    assert "Kesh Malek" in page.split('value="كش ملك"')[1].split("</tr>")[0]
    assert "Baytna Syria" in page.split('value="بيتنا سوريا"')[1].split("</tr>")[0]
    admin_client.post(url, confirmation_form(page))
    arabic = Organization.known_by({"ar": "كش ملك"})
    similar = admin_client.get(f"/admin/signatures/organization/{arabic.pk}/change/")
    assert "Kesh Malek" in similar.content.decode().split("similar names")[1]
