"""Bringing in signatories gathered elsewhere: each becomes an approved, imported sign-on."""

from django.db import transaction
from django.utils import timezone

from tadamun.record import models as record
from tadamun.statements.models import Statement

from .models import Organization, SignOn


@transaction.atomic
def import_signatories(
    statement: Statement,
    names: list[dict],
    country: str = "",
    pauses_work: bool = False,
    by=None,
) -> list[SignOn]:
    """Add each organization (a {language: name} mapping) as an approved sign-on.

    An organization already on the statement is left as it is, so importing the same list
    twice adds nothing. Returns the sign-ons created.
    """
    created = []
    now = timezone.now()
    for organization_names in names:
        organization = Organization.find_or_create(organization_names, country=country)
        if SignOn.objects.filter(statement=statement, organization=organization).exists():
            continue
        signon = SignOn.objects.create(
            statement=statement,
            organization=organization,
            version=statement.current_version,
            submitted_name=organization_names,
            country=country,
            listing=SignOn.Listing.NAMED,
            pauses_work=pauses_work,
            status=SignOn.Status.APPROVED,
            imported=True,
            confirmed_at=now,
            decided_at=now,
            decided_by=by,
            language=statement.authoritative_language,
        )
        record.append(record.Entry.Action.IMPORTED, statement.slug, **signon.public_facts())
        created.append(signon)
    SignOn.recount(statement)
    return created
