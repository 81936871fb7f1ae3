import pytest
from django.core.management import call_command

from tadamun.record.models import Entry
from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.models import Demand, Statement, Tally, Version

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_duplicates():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    statement = Statement.objects.get(slug="aleppo-strike-2016")
    assert Version.objects.filter(statement=statement).count() == 1
    assert Demand.objects.filter(statement=statement).count() == 3
    assert SignOn.objects.public().filter(statement=statement).count() == 40
    assert Organization.objects.count() == 40
    assert Tally.objects.get(statement=statement).organizations == 40
    assert Entry.objects.filter(action="imported").count() == 40


def test_the_demo_statement_page_shows_the_text_demands_and_40_signatories(client):
    call_command("load_demo", verbosity=0)
    for language, word in (("en", "Aleppo"), ("ar", "حلب")):
        page = client.get(f"/{language}/statements/aleppo-strike-2016/").content.decode()
        assert word in page
        assert page.count('class="demand-status') == 3
        assert page.count("<li><bdi>") == 40
        for name in ("Baytna Syria", "Kesh Malek", "Syria Breeze Radio", "Refugess"):
            assert name in page
