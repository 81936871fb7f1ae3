"""Look-alike names of listed organizations, typed into the public form as an impersonator
would: every one is flagged as the organization it imitates, and the demo's 40 genuinely
different organizations are not flagged with one another."""

import itertools

import pytest
from django.core.management import call_command

from tadamun.signatures import dedupe
from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.models import Statement
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

# (kind, listed demo name, what the impersonator types)
IMPERSONATIONS = [
    ("filler", "Kesh Malek", "Kesh\u3164Malek"),  # Hangul filler for the space
    ("filler", "Kesh Malek", "Kesh Ma\u115flek"),  # Hangul choseong filler inside a word
    ("filler", "Life Makers", "Life Makers\u3164"),
    ("filler", "Baytna Syria", "Baytna Syria\u2800"),  # Braille blank
    ("filler", "Violet Organization", "Violet\uffa0Organization"),  # half-width filler
    ("invisible", "Kesh Malek", "Kesh Malek\u200b"),  # zero-width space
    ("invisible", "Baytna Syria", "Baytna\u200dSyria"),  # zero-width joiner
    ("invisible", "Violet Organization", "Violet\u2060 Organization"),  # word joiner
    ("invisible", "Masar", "Ma\u00adsar"),  # soft hyphen
    ("invisible", "Space of Hope", "Space of \u202eHope"),  # right-to-left override
    ("script mixing", "Kesh Malek", "Kеsh Маlеk"),  # Cyrillic е, М, е
    ("script mixing", "Kesh Malek", "Kesh Maӏek"),  # Cyrillic palochka for l
    ("script mixing", "Kesh Malek", "Keѕh Malek"),  # Cyrillic dze for s
    ("script mixing", "Baytna Syria", "Baytna Syrіa"),  # Ukrainian і
    ("script mixing", "Baytna Syria", "Baytna Syrıa"),  # Turkish dotless ı
    ("script mixing", "Baytna Syria", "Baуtna Syria"),  # Cyrillic у
    ("script mixing", "Shafak", "Sһafak"),  # Cyrillic shha for h
    ("script mixing", "Space of Hope", "Space of Hоpe"),  # Cyrillic о
    ("script mixing", "Space of Hope", "Ѕpace of Hope"),  # Cyrillic Ѕ
    ("script mixing", "Life Makers", "Lifе Makers"),  # Cyrillic е
    ("script mixing", "Olive Branch", "Olive Вranch"),  # Cyrillic В
    ("script mixing", "Olive Branch", "0live Branch"),  # digit zero
    ("script mixing", "Violet Organization", "VioIet Organization"),  # capital I for l
    ("script mixing", "Violet Organization", "Vi0let Organization"),
    ("script mixing", "Masar", "Маsar"),  # Cyrillic М, а
    ("script mixing", "Good Light Group", "Good Lіght Group"),
    ("script mixing", "Hope Team", "Ηope Team"),  # Greek capital eta
    ("script mixing", "Aman Network", "Αman Network"),  # Greek capital alpha
    ("diacritics", "Kesh Malek", "Ḱesh Málek"),
    ("diacritics", "Baslam", "Başlam"),
    ("diacritics", "Suyana", "Süyana"),
    ("diacritics", "Spirit", "Spírit"),
    ("case", "Kesh Malek", "KESH MALEK"),
    ("case", "Baytna Syria", "baytna syria"),
    ("case", "AFKAR Foundation", "Afkar foundation"),
    ("spacing", "Kesh Malek", "KeshMalek"),
    ("spacing", "Kesh Malek", "Kesh  -  Malek"),
    ("spacing", "Space of Hope", "Space ofHope"),
    ("spacing", "Be Free Team", "BeFree Team"),
    ("spacing", "Life Makers", "Life-Makers"),
    ("spacing", "Syria Breeze Radio", "Syria Breeze Radio!"),
    ("spacing", "Muzun Alkhaer", "Muzun Al-Khaer"),
    ("transliteration", "Kesh Malek", "Kesh Malik"),
    ("transliteration", "Baytna Syria", "Beitna Syria"),
    ("transliteration", "Shafak", "Shafaq"),
    ("transliteration", "Masar", "Masaar"),
    ("transliteration", "Ghorras Alamal", "Ghoras Al Amal"),
    ("transliteration", "Violet Organization", "Violet Organisation"),
    ("transliteration", "Sanad Organization", "Sanad Org"),
    ("transliteration", "Mouwatana for Civil Action", "Muwatana for Civil Action"),
]

# The same demo organizations written in Arabic script, as a signer or an import gives them.
CROSS_SCRIPT = [
    ("Kesh Malek", "كش ملك"),
    ("Kesh Malek", "منظمة كش ملك"),
    ("Kesh Malek", "كش مَلِك"),  # with harakat
    ("Kesh Malek", "کش ملک"),  # Persian keheh
    ("Baytna Syria", "بيتنا سوريا"),
    ("Baytna Syria", "بيتنا سورية"),
    ("Baytna Syria", "بیتنا سوریا"),  # Persian yeh
    ("Masar", "مسار"),
    ("Sanad Organization", "منظمة سند"),
    ("Muzun Alkhaer", "مزن الخير"),
    ("Balad Syria", "بلد سوريا"),
    ("Ghorras Alamal", "غراس الأمل"),
    ("Baslam", "بسلام"),
    ("Shafak", "شفق"),
    ("AFKAR Foundation", "مؤسسة أفكار"),
    ("Boulevard", "بوليفارد"),
    ("Sahme Initiative", "مبادرة سهمي"),
    ("Spirit", "سبيريت"),
    ("Be Free Team", "فريق بي فري"),
    ("Violet Organization", "منظمة فيوليت"),
    ("LDSPS", "إل دي إس بي إس"),
]

# Arabic names an organizer gave demo organizations, and how an impersonator bends them.
ARABIC_IMPERSONATIONS = [
    ("Kesh Malek", "كش ملك", "کش ملک"),  # Persian keheh
    ("Kesh Malek", "كش ملك", "كش ملڪ"),  # Sindhi swash kaf
    ("Kesh Malek", "كش ملك", "كش مـلـك"),  # tatweel
    ("Kesh Malek", "كش ملك", "كش\u200cملك"),  # zero-width non-joiner for the space
    ("Kesh Malek", "كش ملك", "كش\u3164ملك"),  # Hangul filler
    ("Baytna Syria", "بيتنا سوريا", "بیتنا سوریا"),  # Persian yeh
    ("Baytna Syria", "بيتنا سوريا", "بيتنا سوريآ"),  # alef with madda
    ("Baytna Syria", "بيتنا سوريا", "بَيْتُنا سُوريا"),  # harakat
    ("Violet Organization", "منظمة بنفسج", "منظمہ بنفسج"),  # Urdu heh goal
    ("Violet Organization", "منظمة بنفسج", "منظمه بنفسج"),  # heh for ta marbuta
    ("Muzun Alkhaer", "مزن الخير", "مزن الخیر"),
    ("Life Makers", "صناع الحياة", "صناع الحیاۃ"),  # Persian yeh, Urdu ta marbuta
]


@pytest.fixture
def demo(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/h")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    listed = {
        org.name["en"]: org
        for org in Organization.objects.filter(signons__statement__slug="aleppo-strike-2016")
    }
    assert len(listed) == 40
    return listed


def flagged(signon: SignOn) -> set[str]:
    """The listed organizations a moderator is shown this sign-on is: the one it claims, and
    those with similar names."""
    organization = signon.organization
    found = {pick_en(o) for o, _score in organization.near_duplicates(limit=10)}
    if signon.claim:
        found.add(pick_en(organization))
    return found


def pick_en(organization: Organization) -> str:
    return organization.name.get("en") or next(iter(organization.name.values()))


SUBMITTERS = itertools.count(1)


def submit(client, statement: Statement, **names) -> SignOn:
    # Each from its own address: the same form sent twice from one address is one sign-on.
    email = f"someone{next(SUBMITTERS)}@elsewhere.example"
    form = {"name_en": "", "name_ar": "", "contact_email": email, **names}
    response = sign_on(client, statement, **form)
    assert response.status_code == 302, response.content.decode()[:500]
    return SignOn.objects.latest("pk")


def test_the_table_holds_enough_cases():
    assert len(IMPERSONATIONS) >= 40
    assert len(CROSS_SCRIPT) >= 15
    assert len({listed for listed, _arabic in CROSS_SCRIPT}) >= 15


def test_every_impersonation_of_a_listed_demo_name_is_flagged_as_that_organization(client, demo):
    statement = make_statement()
    missed = []
    for kind, listed, fake in IMPERSONATIONS:
        signon = submit(client, statement, name_en=fake)
        if flagged(signon) != {listed}:
            missed.append((kind, listed, fake, flagged(signon)))
    assert missed == []


def test_look_alike_letters_fillers_and_case_make_a_claim_on_the_listed_organization(client, demo):
    # Those that look the same on screen are not a new organization at all: the submission
    # is a claim on the listed one, held because the address is not at its domain.
    statement = make_statement()
    exact = {"filler", "invisible", "script mixing", "diacritics", "case", "spacing"}
    for kind, listed, fake in IMPERSONATIONS:
        if kind in exact:
            signon = submit(client, statement, name_en=fake)
            assert (signon.organization_id, signon.claim, signon.held) == (
                demo[listed].pk,
                True,
                True,
            ), (kind, fake)


def test_the_same_demo_organization_in_arabic_script_is_flagged(client, demo):
    statement = make_statement()
    missed = []
    for listed, arabic in CROSS_SCRIPT:
        signon = submit(client, statement, name_ar=arabic)
        if flagged(signon) != {listed}:
            missed.append((listed, arabic, dedupe.sound_key(arabic), flagged(signon)))
    assert missed == []


def test_persian_letters_and_arabic_fillers_are_folded_to_the_listed_arabic_name(client, demo):
    statement = make_statement()
    for listed, arabic in {(listed, arabic) for listed, arabic, _fake in ARABIC_IMPERSONATIONS}:
        demo[listed].apply_details({"name": {"ar": arabic}}, Organization.Source.ORGANIZER)
    for listed, _arabic, fake in ARABIC_IMPERSONATIONS:
        signon = submit(client, statement, name_ar=fake)
        assert signon.organization_id == demo[listed].pk and signon.claim, fake


def test_the_demos_40_organizations_are_not_flagged_with_one_another(demo):
    for name, organization in demo.items():
        assert organization.near_duplicates(limit=40) == [], name
    keys = {dedupe.name_key(name) for name in demo}
    assert len(keys) == 40


def test_the_demo_organizations_arabic_spellings_flag_no_other_demo_organization(demo):
    for listed, arabic in CROSS_SCRIPT:
        others = {
            org_id: [name] for name, org in demo.items() if name != listed for org_id in [org.pk]
        }
        assert dedupe.similar(arabic, others) == [], (listed, arabic)
