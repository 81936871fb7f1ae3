"""Every list page of the admin costs the same number of queries with 10 rows or 1,000, for
an organizer of a coalition (whose role is checked on every page) and for a superuser."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tadamun.api.models import ApiToken
from tadamun.audit.models import Event
from tadamun.record.models import Entry
from tadamun.signatures.models import Notice, Organization, OrganizationName, SignOn
from tadamun.statements.models import (
    Coalition,
    Demand,
    DemandUpdate,
    Membership,
    Statement,
    Tally,
    Version,
)

pytestmark = pytest.mark.django_db

# The organizers' list pages, and those only superusers see.
ORGANIZER_PAGES = [
    "statements/coalition",
    "statements/statement",
    "statements/version",
    "statements/tally",
    "statements/demand",
    "statements/demandupdate",
    "signatures/signon",
    "signatures/organization",
    "signatures/notice",
    "api/apitoken",
]
SUPERUSER_PAGES = [*ORGANIZER_PAGES, "record/entry", "audit/event"]


def add_rows(coalition: Coalition, start: int, stop: int) -> None:
    """Rows numbered start…stop-1 of every kind a list page shows, written in bulk."""
    numbers = range(start, stop)
    statements = Statement.objects.bulk_create(
        Statement(
            coalition=coalition,
            slug=f"s-{n}",
            status="open",
            languages=["ar", "en"],
            title={"en": f"Statement {n}"},
            body={"en": "Text."},
        )
        for n in numbers
    )
    versions = Version.objects.bulk_create(
        Version(statement=s, number=1, content={"texts": {}}, content_hash=f"{n:064}")
        for n, s in zip(numbers, statements)
    )
    for statement, version in zip(statements, versions):
        statement.current_version = version
    Statement.objects.bulk_update(statements, ["current_version"])
    Tally.objects.bulk_create(Tally(statement=s) for s in statements)
    first = Statement.objects.get(slug="s-0")
    demands = Demand.objects.bulk_create(
        Demand(statement=first, position=n, text={"en": f"Demand {n}"}) for n in numbers
    )
    DemandUpdate.objects.bulk_create(
        DemandUpdate(demand=d, status="met", note={"en": "Met."}) for d in demands
    )
    organizations = Organization.objects.bulk_create(
        Organization(name={"en": f"Organization {n}"}, country="Syria") for n in numbers
    )
    OrganizationName.objects.bulk_create(
        OrganizationName(organization=o, name=f"Organization {n}", key=f"organization {n}")
        for n, o in zip(numbers, organizations)
    )
    SignOn.objects.bulk_create(
        SignOn(
            statement=first,
            organization=o,
            version=first.current_version,
            submitted_name={"en": f"Organization {n}"},
            country="Syria",
            website=f"https://org{n}.example.org",
            contact_email=f"someone@org{n}.example.org",
            status="pending",
        )
        for n, o in zip(numbers, organizations)
    )
    Notice.objects.bulk_create(Notice(statement=first, kind="strike") for _ in numbers)
    ApiToken.objects.bulk_create(
        ApiToken(coalition=coalition, name=f"t{n}", prefix=f"{n:08}", key_hash=f"{n:064}")
        for n in numbers
    )
    Entry.objects.bulk_create(
        Entry(
            sequence=n + 1,
            action="approved",
            statement_slug="s-0",
            at=timezone.now(),
            hash=f"{n:064}",
        )
        for n in numbers
    )
    Event.objects.bulk_create(
        Event(username="someone", action="viewed", target=f"x#{n}") for n in numbers
    )


def queries(client, page: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/{page}/")
    assert response.status_code == 200, page
    return len(captured)


def test_every_list_page_costs_the_same_with_10_rows_or_1000(client, admin_user):
    coalition = Coalition.objects.create(slug="c", name={"en": "Coalition"})
    owner = User.objects.create_user("owner", password="pw-owner-owner", is_staff=True)
    Membership.objects.create(user=owner, coalition=coalition, role="owner")
    add_rows(coalition, 0, 10)
    users = [(owner, ORGANIZER_PAGES), (admin_user, SUPERUSER_PAGES)]
    few = {}
    for user, pages in users:
        client.force_login(user)
        few[user.username] = {page: queries(client, page) for page in pages}
    add_rows(coalition, 10, 1000)
    for user, pages in users:
        client.force_login(user)
        many = {page: queries(client, page) for page in pages}
        assert many == few[user.username], user.username
