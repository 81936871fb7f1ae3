"""The public list of a statement as CSV and JSON, streamed row by row in constant memory."""

import csv
import io
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.views.decorators.cache import cache_control

from tadamun.public.signatories import header, rows
from tadamun.public.statements import public_statement
from tadamun.statements.models import Statement


def json_chunks(statement: Statement) -> Iterator[str]:
    head = json.dumps(header(statement), ensure_ascii=False)
    yield head[:-1] + ', "signatories": [\n'
    first = True
    for row in rows(statement):
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def csv_chunks(statement: Statement) -> Iterator[str]:
    languages = statement.languages
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(
        ["signature", "organization", *(f"name_{c}" for c in languages), "country", "version"]
    )
    yield "\ufeff" + flush()  # a BOM, so spreadsheet programs read Arabic as UTF-8
    for n, row in enumerate(rows(statement)):
        names = row["name"] or {}
        fallback = next((v for v in names.values() if v), "")
        writer.writerow(
            [
                row["signature"],
                row["organization"],
                *(defuse(names.get(c) or fallback) for c in languages),
                defuse(row["country"]),
                row["version"],
            ]
        )
        if n % 200 == 199:
            yield flush()
    yield flush()


def defuse(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# Names leave the list at once (a withdrawal, an erasure): copies are kept two seconds by
# nginx (X-Accel-Expires, which it reads before Cache-Control), none by browsers.
@cache_control(public=True, max_age=0, s_maxage=2)
def export_json(request, slug: str):
    statement = public_statement(slug)
    response = StreamingHttpResponse(json_chunks(statement), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{statement.slug}-signatories.json"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Accel-Expires"] = "2"
    return response


@cache_control(public=True, max_age=0, s_maxage=2)
def export_csv(request, slug: str):
    statement = public_statement(slug)
    response = StreamingHttpResponse(csv_chunks(statement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{statement.slug}-signatories.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Accel-Expires"] = "2"
    return response
