"""The public lists of a statement: organizations listed by name (the one query behind the
page, the exports, the API, the press kit and the record's verifier), and the people who
chose a public name."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from tadamun.signatures import dedupe
from tadamun.signatures.models import OrganizationName, Pledge, SignOn
from tadamun.statements.models import Statement, Tally

from .counts import counts

CHUNK = 2000


def listed(statement: Statement) -> QuerySet[SignOn]:
    """Approved, not withdrawn, and listed by name: no other sign-on is ever shown."""
    return SignOn.objects.listed().filter(statement=statement)


def by_name(statement: Statement, language: str, query: str = "") -> QuerySet[SignOn]:
    """The list as the page shows it: sorted by name (read from an index), each with
    `sort_name` in the page's language; `query` keeps the names that contain it."""
    order = [language, statement.authoritative_language, *statement.languages]
    rows = (
        listed(statement)
        .select_related("organization", "version")
        .annotate(
            sort_name=Coalesce(*(KeyTextTransform(code, "organization__name") for code in order))
        )
        .order_by("list_key", "pk")
    )
    key = dedupe.name_key(query)
    if key:
        rows = rows.filter(
            Exists(
                OrganizationName.objects.filter(
                    organization=OuterRef("organization"), key__contains=key
                )
            )
        )
    return rows


def rows(statement: Statement, after: int = 0, limit: int | None = None) -> Iterator[dict]:
    """The list in signature order (the order of approval), after signature `after`: public
    fields only, streamed in chunks when there is no `limit`."""
    query = (
        listed(statement)
        .filter(pk__gt=after)
        .order_by("pk")
        .values_list(
            "pk",
            "organization_id",
            "organization__name",
            "organization__country",
            "version__number",
        )
    )
    found = query[:limit] if limit is not None else query.iterator(chunk_size=CHUNK)
    for pk, organization, name, country, version in found:
        yield {
            "signature": pk,
            "organization": organization,
            "name": name,
            "country": country,
            "version": version,
        }


def header(statement: Statement) -> dict:
    """What the downloadable list says of itself: the text it is on, and the counts (pledges
    from the last release, None before the first)."""
    counted = counts(statement)
    return {
        "statement": statement.slug,
        "version": statement.current_version.number,
        "content_hash": statement.current_version.content_hash,
        "count": {
            "organizations": counted.organizations,
            "listed": counted.organizations_listed,
            "pausing_work": counted.organizations_pausing_work,
            "pledges": counted.pledges,
        },
    }


def document(statement: Statement) -> dict:
    """The whole JSON export in memory: for the record's verifier and tests, not downloads."""
    return {**header(statement), "signatories": list(rows(statement))}


def public_lists(sender=None, **kwargs) -> list[dict]:
    """Every public statement's list document (the record's public_lists signal asks)."""
    return [document(statement) for statement in Statement.objects.public()]


def named_pledges(statement: Statement, limit: int) -> list[dict]:
    """People who pledged under a public name they chose, by that name, as of the last
    release, less those who withdrew since: a name goes at once, but comes only with a
    release."""
    try:
        release = statement.tally.pledge_release
    except Tally.DoesNotExist:
        release = None
    rows = release.named[:limit] if release else []
    if not rows:
        return []
    still = set(
        Pledge.objects.filter(
            pk__in=[pk for pk, _name, _category in rows], status=Pledge.Status.CONFIRMED
        ).values_list("pk", flat=True)
    )
    categories = {c.pk: str(c) for c in statement.pledge_categories.all()}
    return [
        {"public_name": name, "category": categories.get(category)}
        for pk, name, category in rows
        if pk in still
    ]
