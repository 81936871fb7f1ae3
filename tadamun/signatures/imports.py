"""Bringing in signatories gathered elsewhere: each becomes an approved, imported sign-on."""

import csv
import io
import re

from django.db import transaction
from django.utils import timezone

from tadamun.record import models as record
from tadamun.statements.models import Statement

from . import dedupe
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
        signon = SignOn(
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
        signon.list_key = signon.make_list_key()
        signon.save()
        record.append(record.Entry.Action.IMPORTED, statement.slug, **signon.public_facts())
        created.append(signon)
    SignOn.recount(statement)
    return created


ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
BULLET = re.compile(r"^\s*(?:[-*•·]|\(?\d+[.)-])\s+")


def script_of(name: str) -> str:
    """The language key a name is filed under: Arabic script or Latin ("en")."""
    return "ar" if ARABIC.search(name) else "en"


def parse_names(text: str) -> list[str]:
    """Names from a pasted list: one a line, or separated by semicolons, or (on a single
    line) by commas; Arabic separators too. Comments (#), bullets and numbering go."""
    lines = [line for line in (text or "").splitlines() if not line.strip().startswith("#")]
    items = [part for line in lines for part in re.split(r"[;؛]", line)]
    items = [BULLET.sub("", dedupe.clean(item)).strip() for item in items]
    items = [item for item in items if item]
    if len(items) == 1:
        items = [part.strip() for part in re.split(r"[,،]", items[0]) if part.strip()]
    return items


def parse_csv(data: bytes) -> list[str]:
    """Names from a CSV file: its "name" column (or name_ar/name_en), else the first column."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return []
    head = [cell.strip().lower() for cell in rows[0]]
    columns = [
        i for i, cell in enumerate(head) if cell in ("name", "name_en", "name_ar", "organization")
    ]
    if columns:
        rows = rows[1:]
    else:
        columns = [0]
    names = []
    for row in rows:
        for i in columns:
            if i < len(row) and dedupe.clean(row[i]):
                names.append(dedupe.clean(row[i]))
                break
    return names


def preview(names: list[str]) -> list[dict]:
    """Each name with what an organizer should look at before importing it."""
    from .models import OrganizationName

    existing: dict[int, list[str]] = {}
    exact: dict[str, int] = {}
    for org_id, name, key in OrganizationName.objects.values_list("organization_id", "name", "key"):
        existing.setdefault(org_id, []).append(name)
        exact[key] = org_id
    seen: dict[str, str] = {}
    rows = []
    for name in names:
        key = dedupe.name_key(name)
        similar = [
            (org_id, score)
            for org_id, score in dedupe.similar(name, existing)
            if org_id != exact.get(key)
        ]
        rows.append(
            {
                "name": name,
                "known": key in exact,
                "repeated": seen.get(key),
                "similar": [existing[org_id][0] for org_id, _score in similar],
                "similar_in_list": [
                    other
                    for other in seen.values()
                    if other != name and dedupe.similar(name, {0: [other]})
                ],
            }
        )
        seen.setdefault(key, name)
    return rows
