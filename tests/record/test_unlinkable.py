"""Nothing public ties a signature counted without its name to an organization: not its
number (row numbers follow the order of submissions, so a counted signature sat between the
named ones submitted just before and after it), not an organization's number (made in the
same order), not the time of its entries (a merge wrote its entries milliseconds apart)."""

import datetime
import json

import pytest
from django.core.management import call_command

from tadamun.record import verify
from tadamun.signatures.models import Organization, SignOn
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

# How far apart two public numbers must be for neither to say where the other sits.
FAR = 1_000_000


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/h")


def submit(client, statement, name, email, listing="named") -> SignOn:
    response = sign_on(
        client,
        statement,
        name_en=name,
        name_ar="",
        contact_email=email,
        listing=listing,
        website="https://" + email.split("@")[1],
    )
    assert response.status_code == 302
    return SignOn.objects.latest("pk")


def approve_all(admin_client, signons) -> None:
    for signon in signons:
        signon.confirm()
    admin_client.post(
        "/admin/signatures/signon/",
        {"action": "approve", "_selected_action": [s.pk for s in signons]},
    )
    for signon in signons:
        signon.refresh_from_db()
        assert signon.status == SignOn.Status.APPROVED, signon


def download(client, path: str) -> str:
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


@pytest.fixture
def signatures(client, admin_client):
    """Violet signs one statement by name and, the same minute, another without its name,
    between organizations named on both; a moderator approves them as they come."""
    named_on, counted_on = make_statement(), make_statement()
    before = submit(client, counted_on, "Kesh Malek", "a@keshmalek.org")
    violet_named = submit(client, named_on, "Violet Organization", "x@violet.example")
    approve_all(admin_client, [before, violet_named])
    violet_counted = submit(
        client, counted_on, "Violet Organization", "x@violet.example", listing="counted"
    )
    after = submit(client, counted_on, "Masar", "b@masar.example")
    approve_all(admin_client, [violet_counted, after])
    return named_on, counted_on, violet_counted


def test_no_number_in_any_output_places_a_counted_signature_next_to_a_named_one(client, signatures):
    named_on, counted_on, counted = signatures
    lines = verify.read_lines(download(client, "/data/record.jsonl"))
    lists = [
        json.loads(download(client, f"/data/{s.slug}/signatories.json"))
        for s in (named_on, counted_on)
    ]
    rows = [row for listed in lists for row in listed["signatories"]]
    # What the attacker sees of the counted signature: an approval without a commitment.
    unnamed = [
        line["data"]["signature"]
        for line in lines
        if line["action"] == "approved" and not line["data"]["listed"]
    ]
    assert len(unnamed) == 1
    # Its number in the record is not its row number, and sits nowhere near the numbers of
    # the named signatures or of their organizations.
    assert unnamed[0] != counted.pk
    for row in rows:
        assert abs(unnamed[0] - row["signature"]) > FAR
        assert abs(unnamed[0] - row["organization"]) > FAR
    # Organizations are numbered at random: their numbers say nothing of which was made
    # just before or after the one behind the counted signature.
    numbers = sorted(row["organization"] for row in rows)
    assert all(b - a > FAR for a, b in zip(numbers, numbers[1:], strict=False))
    assert not {row["organization"] for row in rows} & set(
        Organization.objects.values_list("pk", flat=True)
    )
    # The same numbers in the API.
    api = client.get(f"/api/statements/{named_on.slug}/signatories").json()
    assert [item["organization"] for item in api["items"]] == [
        row["organization"] for row in lists[0]["signatories"]
    ]
    call_command("verify_record")


def test_entries_carry_the_day_not_the_moment(client, admin_client, signatures):
    named_on, counted_on, counted = signatures
    # Violet is found to be the same as Kesh Malek: the merge writes its entries at once.
    keep = SignOn.objects.get(contact_email="a@keshmalek.org").organization
    admin_client.post(
        "/admin/signatures/organization/",
        {
            "action": "merge",
            "_selected_action": [keep.pk, counted.organization_id],
            "apply": "1",
            "keep": keep.pk,
        },
    )
    lines = verify.read_lines(download(client, "/data/record.jsonl"))
    assert {"merged", "renamed"} <= {line["action"] for line in lines}
    for line in lines:
        at = datetime.datetime.fromisoformat(line["at"])
        assert at.utcoffset() == datetime.timedelta(0)
        assert (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0), line["at"]
    # The counted signature's entries name nobody.
    counted.refresh_from_db()
    for line in lines:
        if counted.reference in [
            line["data"].get("signature"),
            *line["data"].get("duplicates", []),
        ]:
            assert "commitment" not in line["data"] and "disclosed" not in line
    call_command("verify_record")


def test_new_details_of_an_organization_counted_everywhere_leave_no_entry(client, admin_client):
    first_statement, second_statement = make_statement(), make_statement()
    first = submit(
        client, first_statement, "Violet Organization", "x@violet.example", listing="counted"
    )
    approve_all(admin_client, [first])
    update = submit(
        client, second_statement, "Violet Organization", "y@violet.example", listing="counted"
    )
    approve_all(admin_client, [update])
    organization = first.organization
    SignOn.objects.filter(pk=update.pk).update(city="Idlib")
    admin_client.post(f"/admin/signatures/signon/{update.pk}/details/", {"fields": ["city"]})
    organization.refresh_from_db()
    assert organization.city == "Idlib"
    record = download(client, "/data/record.jsonl")
    # An entry about the organization would carry its number beside the counted approvals.
    assert '"details"' not in record
    assert (
        str(organization.public_id) not in record
        and f'"organization": {organization.pk}' not in record
    )
    call_command("verify_record")
