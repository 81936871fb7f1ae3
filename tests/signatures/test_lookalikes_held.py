"""Names an attacker review typed into the public form to pass as a listed organization: each
one, once confirmed, waits HELD as a claim on the organization it imitates (a flag alone lets
a moderator approve it in bulk), and bulk approval leaves it waiting."""

import pytest
from django.urls import reverse
from django.utils import translation

from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Organization, SignOn
from tests.factories import make_statement
from tests.signatures.helpers import approve, sign_on

pytestmark = pytest.mark.django_db

KARAMA = "شبكة الكرامة للتنمية"
# The listed organizations, as an organizer imported them: some only in Latin letters, one
# in both scripts, one only in Arabic.
LISTED = [
    {"en": "Kesh Malek", "ar": "كش ملك"},
    {"en": "Violet Organization"},
    {"en": "Baytna Syria"},
    {"en": "Masar"},
    {"en": "Shafak"},
    {"en": "Ghorras Alamal"},
    {"en": "Muzun Alkhaer"},
    {"en": "Be Free Team"},
    {"en": "Space of Hope"},
    {"ar": KARAMA},
]

# (what the attack does, the listed name it imitates, language of the field, what is typed)
ATTACKS = [
    ("kra ĸ (U+0138) for k", "Kesh Malek", "en", "ĸesh Maleĸ"),
    ("small capitals", "Kesh Malek", "en", "ᴋᴇꜱʜ ᴍᴀʟᴇᴋ"),
    ("small capitals, one word", "Kesh Malek", "en", "ᴋᴇꜱʜ Malek"),
    ("k with hook ƙ", "Kesh Malek", "en", "ƙesh Maleƙ"),
    ("k with descender ⱪ", "Kesh Malek", "en", "ⱪesh Malek"),
    ("vertical line | for l", "Kesh Malek", "en", "Kesh Ma|ek"),
    ("divides ∣ for l", "Kesh Malek", "en", "Kesh Ma∣ek"),
    ("small capital ʟ", "Kesh Malek", "en", "Kesh Maʟek"),
    ("small capital ʜ", "Kesh Malek", "en", "Kesʜ Malek"),
    ("Cyrillic к, which the skeleton spells ĸ", "Kesh Malek", "en", "Kesh Maleк"),
    ("Cyrillic м, which the skeleton spells ʍ", "Kesh Malek", "en", "Kesh мalek"),
    ("Arabic kaf with ring ګ", "Kesh Malek", "ar", "كش ملګ"),
    ("Arabic ng ڭ", "Kesh Malek", "ar", "كش ملڭ"),
    ("Arabic keheh with two dots ػ", "Kesh Malek", "ar", "ػش ملك"),
    ("Arabic kaf with dot ڬ", "Kesh Malek", "ar", "كش ملڬ"),
    ("Persian gaf گ", "Kesh Malek", "ar", "كش ملگ"),
    ("dotless beh ٮ and yeh barree", "Baytna Syria", "ar", "ٮيتنا سوريے"),
    ("Arabic spelling of a Latin name", "Violet Organization", "ar", "منظمة فيوليت"),
    ("Arabic spelling of a Latin name", "Baytna Syria", "ar", "بيتنا سوريا"),
    ("Arabic spelling of a Latin name", "Masar", "ar", "مسار"),
    ("Arabic spelling of a Latin name", "Shafak", "ar", "شفق"),
    ("Arabic spelling of a Latin name", "Ghorras Alamal", "ar", "غراس الأمل"),
    ("Arabic spelling of a Latin name", "Muzun Alkhaer", "ar", "مزن الخير"),
    ("Arabic spelling of a Latin name", "Be Free Team", "ar", "فريق بي فري"),
    ("Arabic spelling, Latin name's generic word", "Violet Organization", "ar", "فيوليت"),
    ("translation of an Arabic name", KARAMA, "en", "Karama Development Network"),
    ("English name spelled in Arabic", KARAMA, "ar", "كرامة ديفلوبمنت نتورك"),
    ("Latin spelling of an Arabic name", KARAMA, "en", "Shabakat al-Karama lil-Tanmiya"),
    ("Latin spelling of an Arabic name", KARAMA, "en", "Shabakat Al Karama Lil Tanmia"),
    ("words in another order", KARAMA, "en", "Karama Network for Development"),
    ("typo", "Space of Hope", "en", "Space of Hpoe"),
]

# Other organizations, which must be neither held nor flagged as any listed one.
DIFFERENT = [
    ("en", "Olive Branch"),
    ("en", "Local Council 3"),
    ("ar", "صناع الحياة"),
    ("en", "Hope Team"),
    ("en", "Syrian Civil Society Platform"),
    ("ar", "شبكة حراس الطفولة"),
    ("en", "Kesh"),
]


@pytest.fixture
def listed(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/h")
    import_signatories(make_statement(), LISTED)
    # By the name the table gives: English where there is one (PostgreSQL's JSON does not
    # keep the order the names were given in).
    return {o.name.get("en") or o.name["ar"]: o for o in Organization.objects.all()}


def submit_and_confirm(client, statement, language: str, name: str, n: int) -> SignOn:
    form = {"name_en": "", "name_ar": "", f"name_{language}": name}
    email = f"someone{n}@elsewhere.example"
    response = sign_on(client, statement, contact_email=email, website="", **form)
    assert response.status_code == 302, response.content.decode()[:300]
    signon = SignOn.objects.get(contact_email=email)
    with translation.override("en"):
        link = reverse("signatures:confirm", args=[signon.token("signon-confirm")])
    client.post(link)
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
    return signon


def test_the_table_covers_every_reported_attack():
    kinds = " ".join(kind for kind, *_ in ATTACKS)
    for reported in ("ĸ", "small capitals", "ƙ", "ⱪ", "|", "ʟ", "ʜ", "ګ", "ڭ", "ػ"):
        assert reported in kinds, reported
    assert sum(kind.startswith("Arabic spelling") for kind, *_ in ATTACKS) >= 7


@pytest.mark.parametrize(
    "kind, imitated, language, typed", ATTACKS, ids=[f"{k}: {t}" for k, _i, _l, t in ATTACKS]
)
def test_a_look_alike_of_a_listed_name_is_held_as_a_claim_on_it(
    client, admin_client, listed, kind, imitated, language, typed
):
    statement = make_statement()
    signon = submit_and_confirm(client, statement, language, typed, 1)
    assert (signon.organization_id, signon.claim, signon.held) == (listed[imitated].pk, True, True)
    # Bulk approval leaves it waiting; the public list does not name it.
    page = approve(admin_client, signon).content.decode()
    assert "Held" in page
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
    assert typed not in client.get(f"/en/statements/{statement.slug}/").content.decode()


@pytest.mark.parametrize("language, name", DIFFERENT)
def test_a_different_organization_is_neither_held_nor_flagged(client, listed, language, name):
    signon = submit_and_confirm(client, make_statement(), language, name, 2)
    assert not signon.claim and not signon.held
    assert signon.organization.near_duplicates() == []
