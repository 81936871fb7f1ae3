import json

import pytest
from django.core.management import call_command

from tadamun.record.models import Entry
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def test_a_typo_and_its_correction_are_flagged_as_near_duplicates():
    statement = make_statement()
    import_signatories(statement, [{"en": "Coordination Committee for Camps and Refugess"}])
    corrected = Organization.find_or_create({"en": "Coordination Committee for Camps and Refugees"})
    assert [o.pk for o, _ in corrected.near_duplicates()] == [SignOn.objects.get().organization_id]


@pytest.mark.parametrize(
    "one, other",
    [
        ("Shades of Care Humanitarian Orgnaization", "Shades of Care Humanitarian Organization"),
        ("Al-Ameen for Humanitarian Support", "Alameen Humanitarian Support"),
        ("LDO", "Local Development Organization LDO"),
        ("Local Development Organization", "Local Development Organization LDO"),
        ("Bаytna Syria", "Baytna Syria Network"),  # Cyrillic а
        ("Kesh  Malek!", "Kesh Malek Organization"),
    ],
)
def test_near_duplicates_are_caught(one, other):
    a = Organization.find_or_create({"en": one})
    b = Organization.find_or_create({"en": other})
    assert a.pk != b.pk
    assert b.pk in [o.pk for o, _ in a.near_duplicates()]


@pytest.mark.parametrize(
    "spelling",
    [
        "El Ameen for Humanitarian Support",
        "al ameen FOR humanitarian-support",
        "Al‐Ameen\u200b for Humanitarian Support",
    ],
)
def test_spellings_that_differ_only_in_case_article_or_punctuation_are_one_organization(spelling):
    first = Organization.find_or_create({"en": "Al-Ameen for Humanitarian Support"})
    assert Organization.find_or_create({"en": spelling}).pk == first.pk


def test_different_organizations_are_not_flagged():
    a = Organization.find_or_create({"en": "Kesh Malek"})
    Organization.find_or_create({"en": "Violet Organization"})
    Organization.find_or_create({"en": "Space of Hope"})
    assert a.near_duplicates() == []


def test_merging_moves_every_signature_and_is_recorded(admin_client):
    one, two = make_statement(), make_statement()
    import_signatories(one, [{"en": "Refugess Committee"}])
    import_signatories(two, [{"en": "Refugees Committee"}])
    keep = SignOn.objects.get(statement=one).organization
    other = SignOn.objects.get(statement=two).organization
    admin_client.post(
        "/admin/signatures/organization/",
        {"action": "merge", "_selected_action": [keep.pk, other.pk], "apply": "1", "keep": keep.pk},
    )
    assert not Organization.objects.filter(pk=other.pk).exists()
    assert set(SignOn.objects.values_list("organization_id", flat=True)) == {keep.pk}
    assert SignOn.objects.public().count() == 2
    assert Entry.objects.get(action="merged").data == {"duplicates": []}
    # The signature that moved is listed by name: the record now names it as the kept one.
    moved = SignOn.objects.get(statement=two)
    renamed = Entry.objects.get(action="renamed")
    assert renamed.data["signature"] == moved.pk
    assert renamed.disclosure.detail["organization"] == keep.pk
    # The other spelling now finds the kept organization.
    assert Organization.find_or_create({"en": "Refugees Committee"}).pk == keep.pk


def test_merging_two_signatures_on_one_statement_counts_the_organization_once():
    statement = make_statement()
    import_signatories(statement, [{"en": "Hope Team"}, {"en": "Hope Teem"}])
    assert Tally.objects.get(statement=statement).organizations == 2
    a, b = (s.organization for s in SignOn.objects.order_by("pk"))
    a.merge(b)
    assert Tally.objects.get(statement=statement).organizations == 1
    assert SignOn.objects.count() == 2
    assert SignOn.objects.filter(status=SignOn.Status.DUPLICATE).count() == 1
    SignOn.recount(statement)
    assert Tally.objects.get(statement=statement).organizations == 1


def test_a_merge_ties_no_signature_counted_without_its_name_to_a_name(client, admin_client):
    from tests.signatures.helpers import sign_on

    named_on, counted_on = make_statement(), make_statement()
    import_signatories(named_on, [{"en": "Violet Organization"}])
    sign_on(
        client,
        counted_on,
        name_en="Violet Organisation",
        name_ar="",
        listing="counted",
        contact_email="x@violet.example",
    )
    counted = SignOn.objects.get(statement=counted_on)
    counted.confirm()
    counted.approve()
    keep = SignOn.objects.get(statement=named_on).organization
    keep.merge(counted.organization)
    counted.refresh_from_db()
    assert counted.organization_id == keep.pk
    record = b"".join(client.get("/data/record.jsonl").streaming_content).decode()
    for line in record.splitlines():
        if f'"signature":{counted.pk}' in line.replace(" ", ""):
            # Every entry about the counted signature names nobody.
            assert "Violet" not in line and f'"organization": {keep.pk}' not in line
            assert "disclosed" not in line and "commitment" not in line
    merged = json.loads(next(line for line in record.splitlines() if '"merged"' in line))
    assert merged["data"] == {"duplicates": []}
    listed = b"".join(client.get(f"/data/{counted_on.slug}/signatories.json").streaming_content)
    assert b"Violet" not in listed
    call_command("verify_record")


def test_a_merge_keeps_the_named_one_of_two_signatures_on_one_statement():
    from tadamun.signatures.models import Organization

    statement = make_statement()
    import_signatories(statement, [{"en": "Hope Team"}])
    named = SignOn.objects.get()
    other = Organization.find_or_create({"en": "Hope Teem"})
    counted = SignOn.objects.create(
        statement=statement,
        organization=other,
        submitted_name={"en": "Hope Teem"},
        country="Syria",
        listing=SignOn.Listing.COUNTED,
        status=SignOn.Status.PENDING,
        contact_name="Huda Saleh",
        contact_email="huda@hopeteem.org",
    )
    counted.approve()
    assert SignOn.objects.get(pk=counted.pk).contact_email == "huda@hopeteem.org"
    # The kept organization signed counted-only; the incoming one by name: the name stays.
    other.merge(named.organization)
    named.refresh_from_db()
    counted.refresh_from_db()
    assert named.status == SignOn.Status.APPROVED
    assert counted.status == SignOn.Status.DUPLICATE
    # No message goes to a signature that stopped counting: the server keeps no address,
    # only the copy sealed for the organizers at the approval.
    assert counted.contact_email == "" and counted.sealed_contact is not None
    assert Entry.objects.get(action="merged").data == {"duplicates": [counted.pk]}
    assert Tally.objects.get(statement=statement).organizations == 1
