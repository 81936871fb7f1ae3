"""Organizers import a list gathered elsewhere: paste or CSV, preview with flags, confirm."""

import pytest
from django.conf import settings

from tadamun.record.models import Entry
from tadamun.signatures.imports import parse_csv, parse_names
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement

pytestmark = pytest.mark.django_db

DEMO_LIST = settings.BASE_DIR / "tadamun/statements/demo/aleppo-2016-signatories.txt"


def test_importing_the_demo_list_yields_its_40_organizations(admin_client):
    statement = make_statement()
    text = DEMO_LIST.read_text()
    url = f"/admin/statements/statement/{statement.pk}/import/"
    preview = admin_client.post(url, {"names": text, "country": "Syria"})
    page = preview.content.decode()
    assert page.count('<td dir="auto">') >= 40
    # The 40 are distinct: nothing in the list is flagged as a lookalike of another.
    assert 'style="background: #fff4d6"' not in page
    done = admin_client.post(url, {"names": text, "country": "Syria", "confirm": "1"})
    assert done.status_code == 302
    assert SignOn.objects.filter(statement=statement, imported=True).count() == 40
    assert Tally.of(statement).organizations == 40
    assert Entry.objects.filter(action="imported").count() == 40
    # Importing again adds nothing.
    admin_client.post(url, {"names": text, "confirm": "1"})
    assert SignOn.objects.filter(statement=statement).count() == 40


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
    assert parse_csv(data) == ["Baytna Syria", "بيتنا سوريا"]


def test_the_preview_flags_names_already_known_and_lookalikes(admin_client):
    statement = make_statement()
    url = f"/admin/statements/statement/{statement.pk}/import/"
    admin_client.post(
        url, {"names": "Coordination Committee for Camps and Refugees", "confirm": "1"}
    )
    page = admin_client.post(
        url, {"names": "Coordination Committee for Camps and Refugess\nKesh Malek"}
    ).content.decode()
    row = page.split("Refugess</td>")[1].split("</tr>")[0]
    assert "Coordination Committee for Camps and Refugees" in row
    typo = admin_client.post(url, {"names": "Shades of Care\nShades of Caer"}).content.decode()
    assert "Shades of Care</td>" in typo.split('<td dir="auto">Shades of Caer</td>')[1]
    empty = admin_client.post(url, {"names": "  \n# nothing\n"})
    assert "No organization name was found" in empty.content.decode()
