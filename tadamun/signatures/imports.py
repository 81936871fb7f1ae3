"""Bringing in signatories gathered elsewhere: each becomes an approved, imported sign-on.

A row is {"names": {language: name}, "country": …}: a CSV keeps every language column
(name_en, name_ar, …) and each row's country; a pasted list gives one name a row, filed
under its script. The organizer sees a preview of exactly the rows that will land: rows
edited at the confirmation step are previewed again before anything is imported.
"""

import csv
import hashlib
import io
import json
import re

from django.db import transaction
from django.utils import timezone

from tadamun.record import models as record
from tadamun.statements.models import Statement

from . import dedupe
from .models import Organization, OrganizationName, SignOn

MAX_ROWS = 5000


@transaction.atomic
def import_signatories(
    statement: Statement,
    rows: list[dict],
    country: str = "",
    pauses_work: bool = False,
    by=None,
) -> list[SignOn]:
    """Add each organization as an approved sign-on. A row is {"names": {language: name},
    "country": …} or just {language: name}; `country` is for rows that give none.

    An organization already known keeps its approved details (an import is not its word);
    one already on the statement is left as it is, so importing the same list twice adds
    nothing. Returns the sign-ons created.
    """
    created = []
    now = timezone.now()
    for row in rows:
        names = row.get("names", row)
        row_country = (row.get("country", "") if "names" in row else "") or country
        names = {code: name for code, name in names.items() if name}
        if not names:
            continue
        organization = Organization.find_or_create(names, country=row_country[:100])
        if SignOn.objects.filter(statement=statement, organization=organization).exists():
            continue
        signon = SignOn(
            statement=statement,
            organization=organization,
            version=statement.current_version,
            submitted_name=names,
            country=row_country[:100],
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
        record.append(
            record.Entry.Action.IMPORTED,
            statement.slug,
            detail=signon.public_detail(),
            **signon.public_facts(),
        )
        created.append(signon)
    SignOn.recount(statement)
    return created


ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
BULLET = re.compile(r"^\s*(?:[-*•·]|\(?\d+[.)-])\s+")
NAME_COLUMN = re.compile(r"^name_([a-z]{2,3}(?:-[a-z0-9]+)?)$")


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


def make_row(names: dict, country: str = "") -> dict:
    """A row as imported: names and country cleaned and cut to the fields' lengths."""
    names = {code: dedupe.clean(name)[:200] for code, name in names.items()}
    return {"names": {c: n for c, n in names.items() if n}, "country": dedupe.clean(country)[:100]}


def rows_from_names(names: list[str], country: str = "") -> list[dict]:
    return [make_row({script_of(name): name}, country) for name in names]


def parse_csv(data: bytes, country: str = "") -> list[dict]:
    """Rows from a CSV file: every name_<language> column (name_en, name_ar, …), a "name"
    or "organization" column filed under its script, and each row's own "country" (else
    `country`). Without a header, the first column holds the names."""
    text = data.decode("utf-8-sig", errors="replace")
    table = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not table:
        return []
    head = [cell.strip().lower() for cell in table[0]]
    languages = {i: m.group(1) for i, cell in enumerate(head) if (m := NAME_COLUMN.match(cell))}
    plain = [i for i, cell in enumerate(head) if cell in ("name", "organization", "organisation")]
    country_column = head.index("country") if "country" in head else None
    if languages or plain:
        table = table[1:]
    else:
        plain = [0]
    rows = []
    for line in table:
        cells = [dedupe.clean(value) for value in line]

        def cell(i: int, cells: list[str] = cells) -> str:
            return cells[i] if i < len(cells) else ""

        names = {code: cell(i) for i, code in languages.items() if cell(i)}
        for i in plain:
            if cell(i):
                names.setdefault(script_of(cell(i)), cell(i))
        if names:
            place = cell(country_column) if country_column is not None else ""
            rows.append(make_row(names, place or country))
    return rows


def languages_of(rows: list[dict], first: list[str]) -> list[str]:
    """The name columns to show: the statement's languages, then any other the rows use."""
    found = list(first)
    for row in rows:
        found += [code for code in row["names"] if code not in found]
    return found


def rows_from_form(data, languages: list[str]) -> list[dict]:
    """The rows as the organizer left them on the confirmation step (row-N-name_xx,
    row-N-country); a row whose names were all emptied is dropped."""
    rows = []
    for n in range(min(int(data.get("rows", 0) or 0), MAX_ROWS)):
        row = make_row(
            {code: data.get(f"row-{n}-name_{code}", "") for code in languages},
            data.get(f"row-{n}-country", ""),
        )
        if row["names"]:
            rows.append(row)
    return rows


def digest(rows: list[dict]) -> str:
    """A fingerprint of the rows a preview showed: the import lands only if it matches."""
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def preview(rows: list[dict], languages: list[str] = (), among=None) -> list[dict]:
    """Each row with what an organizer should look at before importing it: the approved
    organization it is (same key), or the ones it looks like, in any script, and rows of
    the list that are the same or look alike. Compared only with the organizations `among`
    (a queryset) when given: for organizers, those their coalition may know of
    (Organization.objects.seen_by), so that another coalition's hidden signatories are not
    "already known"."""
    existing: dict[int, list[str]] = {}
    exact: dict[str, int] = {}
    known_names = OrganizationName.objects.all()
    if among is not None:
        known_names = known_names.filter(organization__in=among)
    for org_id, name, key in known_names.values_list("organization_id", "name", "key"):
        existing.setdefault(org_id, []).append(name)
        exact[key] = org_id
    known_names = dedupe.NameIndex.of_names(existing)
    earlier = dedupe.NameIndex([])
    seen: dict[str, int] = {}
    shown = []
    for n, row in enumerate(rows):
        keys = {k for k in (dedupe.name_key(name) for name in row["names"].values()) if k}
        known = next((exact[k] for k in keys if k in exact), None)
        similar: dict[int, int] = {}
        alike: set[int] = set()
        for name in row["names"].values():
            for org_id, score in known_names.similar(name, exclude=known):
                similar[org_id] = max(similar.get(org_id, 0), score)
            alike.update(other for other, _score in earlier.similar(name))
        repeated = next((seen[k] for k in keys if k in seen), None)
        shown.append(
            {
                **row,
                "number": n,
                "cells": [(code, row["names"].get(code, "")) for code in languages],
                "known": existing[known][0] if known else "",
                "repeated": rows[repeated]["names"] if repeated is not None else None,
                "similar": [existing[org_id][0] for org_id in similar],
                "similar_in_list": [
                    " / ".join(rows[other]["names"].values())
                    for other in sorted(alike)
                    if other != repeated
                ],
            }
        )
        for k in keys:
            seen.setdefault(k, n)
        for name in row["names"].values():
            earlier.add(n, name)
    return shown
