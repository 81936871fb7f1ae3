"""The JSON API: public reads without a token, organizers' writes with a coalition's token.

Endpoints stay thin: they find the object and call the apps' own methods. No schema here
has a field for contact data, e-mail addresses or anything about pledgers but counts.
"""

import base64
import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from tadamun.audit import models as audit
from tadamun.signatures.models import SignOn
from tadamun.statements.models import (
    Coalition,
    Demand,
    DemandUpdate,
    Statement,
    Tally,
    Update,
    Version,
)
from tadamun.statements.roles import CONTENT, MODERATION

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        return ApiToken.find(token)


api = NinjaAPI(
    title="Tadamun API",
    version="1",
    description=(
        "Public data of the statements on this site: texts and their versions, demands and "
        "their updates, strike days, counts and the public list of signatory organizations. "
        "Reads need no token. Organizers write with a token of their coalition "
        "(`Authorization: Bearer …`), created in the admin. No answer ever carries contact "
        "data or e-mail addresses."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive page would load scripts from another site
    openapi_url="/openapi.json",
)


class Error(Schema):
    detail: str


def error(request, status: int, detail: str):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "Not found.")


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return error(request, 401, "A valid API token is needed: Authorization: Bearer <token>.")


@api.exception_handler(NinjaValidationError)
def invalid(request, exc):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'input'}: {e.get('msg', 'invalid')}"
        for e in exc.errors
    )
    return error(request, 422, f"Invalid input: {problems}")


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    return error(request, 400, " ".join(exc.messages))


# Schemas ----------------------------------------------------------------------------------

Texts = dict[str, str]


class CoalitionOut(Schema):
    slug: str
    name: Texts
    description: Texts
    website: str


class StrikeDayOut(Schema):
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    time_zone: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    phase: str = Field(description="before, during or after")


class CountsOut(Schema):
    organizations: int
    organizations_listed: int
    organizations_pausing_work: int
    pledges: int
    pledges_joining_strike: int | None = Field(
        None, description="Shown only when neither it nor its complement singles anyone out."
    )
    pledge_breakdown: dict = Field(
        default_factory=dict,
        description="Breakdowns by category, city and work domain; no group below K people.",
    )


class VersionSummary(Schema):
    number: int
    content_hash: str
    published_at: datetime.datetime


class VersionOut(VersionSummary):
    content: dict


class StatementSummary(Schema):
    slug: str
    coalition: str
    kind: str
    status: str
    languages: list[str]
    authoritative_language: str
    title: Texts
    version: int


class StatementOut(StatementSummary):
    body: Texts
    content_hash: str
    published_at: datetime.datetime
    strike_days: list[StrikeDayOut]
    counts: CountsOut


class DemandUpdateOut(Schema):
    id: int
    date: datetime.date
    status: str
    note: Texts
    sources: list[str]


class DemandOut(Schema):
    id: int
    number: int
    text: Texts
    status: str
    updates: list[DemandUpdateOut]


class SignatoryOut(Schema):
    signature: int
    organization: int
    name: Texts
    country: str
    version: int | None


class SignatoryPage(Schema):
    items: list[SignatoryOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")


class UpdateIn(Schema):
    title: Texts = Field(min_length=1)
    body: Texts = Field(min_length=1)


class UpdateOut(Schema):
    id: int
    title: Texts
    body: Texts
    published_at: datetime.datetime


class DemandStatusIn(Schema):
    status: Demand.Status
    date: datetime.date | None = None
    note: Texts = Field(min_length=1, description="A note in one or more languages.")
    sources: list[str] = Field(default_factory=list, max_length=20)


class RejectIn(Schema):
    reason: str = Field("", max_length=2000)


class SignOnOut(Schema):
    signature: int
    status: str


# Reads ------------------------------------------------------------------------------------


def public_statement(slug: str) -> Statement:
    return get_object_or_404(
        Statement.objects.public().select_related("coalition", "current_version"), slug=slug
    )


def texts_of(version: Version, field: str) -> Texts:
    return {code: text[field] for code, text in version.content["texts"].items()}


def counts_of(statement: Statement) -> dict:
    tally = Tally.of(statement)
    figures = tally.pledge_figures or {}
    return {
        "organizations": tally.organizations,
        "organizations_listed": tally.organizations_named,
        "organizations_pausing_work": tally.organizations_pausing,
        "pledges": tally.pledges,
        "pledges_joining_strike": figures.get("striking"),
        "pledge_breakdown": {
            k: v for k, v in figures.items() if k in ("category", "city", "domain")
        },
    }


def strike_days_of(statement: Statement) -> list[dict]:
    return [
        {
            "date": day.date,
            "start_time": day.start_time,
            "end_time": day.end_time,
            "time_zone": day.time_zone,
            "starts_at": day.starts_at,
            "ends_at": day.ends_at,
            "phase": day.phase(),
        }
        for day in statement.strike_days.all()
    ]


def summary_of(statement: Statement) -> dict:
    version = statement.current_version
    return {
        "slug": statement.slug,
        "coalition": statement.coalition.slug,
        "kind": statement.kind,
        "status": statement.status,
        "languages": statement.languages,
        "authoritative_language": statement.authoritative_language,
        "title": texts_of(version, "title"),
        "version": version.number,
    }


@api.get("/coalitions", response=list[CoalitionOut], tags=["read"])
def coalitions(request):
    return Coalition.objects.all()


@api.get("/coalitions/{slug}", response={200: CoalitionOut, 404: Error, 422: Error}, tags=["read"])
def coalition(request, slug: str):
    return get_object_or_404(Coalition, slug=slug)


@api.get("/statements", response=list[StatementSummary], tags=["read"])
def statements(request):
    rows = Statement.objects.public().select_related("coalition", "current_version")
    return [summary_of(s) for s in rows]


@api.get("/statements/{slug}", response={200: StatementOut, 404: Error, 422: Error}, tags=["read"])
def statement(request, slug: str):
    s = public_statement(slug)
    version = s.current_version
    return {
        **summary_of(s),
        "body": texts_of(version, "body"),
        "content_hash": version.content_hash,
        "published_at": version.published_at,
        "strike_days": strike_days_of(s),
        "counts": counts_of(s),
    }


@api.get(
    "/statements/{slug}/counts", response={200: CountsOut, 404: Error, 422: Error}, tags=["read"]
)
def counts(request, slug: str):
    return counts_of(public_statement(slug))


@api.get(
    "/statements/{slug}/strike-days",
    response={200: list[StrikeDayOut], 404: Error, 422: Error},
    tags=["read"],
)
def strike_days(request, slug: str):
    return strike_days_of(public_statement(slug))


@api.get(
    "/statements/{slug}/versions",
    response={200: list[VersionSummary], 404: Error, 422: Error},
    tags=["read"],
)
def versions(request, slug: str):
    return public_statement(slug).versions.order_by("number")


@api.get(
    "/statements/{slug}/versions/{number}",
    response={200: VersionOut, 404: Error, 422: Error},
    tags=["read"],
)
def version(request, slug: str, number: int):
    return get_object_or_404(Version, statement=public_statement(slug), number=number)


@api.get(
    "/statements/{slug}/demands",
    response={200: list[DemandOut], 404: Error, 422: Error},
    tags=["read"],
)
def demands(request, slug: str):
    s = public_statement(slug)
    version = s.current_version
    by_id = {d.pk: d for d in Demand.objects.filter(pk__in=version.demand_ids)}
    updates: dict[int, list] = {}
    for u in DemandUpdate.objects.filter(demand_id__in=version.demand_ids).order_by("-date", "-pk"):
        updates.setdefault(u.demand_id, []).append(
            {
                "id": u.pk,
                "date": u.date,
                "status": u.status,
                "note": u.note,
                "sources": u.source_list(),
            }
        )
    texts = version.content["texts"]
    return [
        {
            "id": pk,
            "number": n,
            "text": {code: text["demands"][n - 1] for code, text in texts.items()},
            "status": by_id[pk].status if pk in by_id else Demand.Status.OPEN,
            "updates": updates.get(pk, []),
        }
        for n, pk in enumerate(version.demand_ids, start=1)
    ]


def read_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "This cursor is not one the API gave.") from None
    if value < 0:
        raise HttpError(400, "This cursor is not one the API gave.")
    return value


def make_cursor(signature: int) -> str:
    return base64.urlsafe_b64encode(str(signature).encode()).decode().rstrip("=")


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=40)
    limit: int = Field(100, ge=1, le=500)


@api.get(
    "/statements/{slug}/signatories",
    response={200: SignatoryPage, 400: Error, 404: Error, 422: Error},
    tags=["read"],
)
def signatories(request, slug: str, page: Query[PageQuery]):
    """Organizations listed by name, in the order they were approved (by signature number).
    Organizations counted without their names are only in the counts."""
    s = public_statement(slug)
    after = read_cursor(page.cursor)
    rows = list(
        SignOn.objects.listed()
        .filter(statement=s, pk__gt=after)
        .order_by("pk")
        .values_list(
            "pk",
            "organization_id",
            "organization__name",
            "organization__country",
            "version__number",
        )[: page.limit + 1]
    )
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return {
        "items": [
            {
                "signature": pk,
                "organization": org,
                "name": name or {},
                "country": country or "",
                "version": number,
            }
            for pk, org, name, country, number in rows
        ],
        "next_cursor": make_cursor(rows[-1][0]) if more else None,
    }


# Writes -----------------------------------------------------------------------------------


def own_statement(request, statement: Statement, roles: frozenset) -> None:
    if statement.coalition_id != request.auth.coalition_id:
        raise HttpError(403, "This token belongs to another coalition.")
    if request.auth.role not in roles:
        raise HttpError(403, f"A token with the role {request.auth.role} may not do this.")


def actor(request) -> str:
    return f"API token {request.auth.prefix}…"


WRITE = {"auth": TokenAuth(), "tags": ["organizers"]}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@api.post("/signons/{signature}/approve", response={200: SignOnOut, **WRITE_ERRORS}, **WRITE)
def approve(request, signature: int):
    signon = get_object_or_404(SignOn.objects.select_related("statement"), pk=signature)
    own_statement(request, signon.statement, MODERATION)
    try:
        signon.approve()
    except ValueError as problem:
        raise HttpError(409, str(problem)) from None
    audit.log(None, "approved", signon, token=request.auth.prefix)
    return {"signature": signon.pk, "status": signon.status}


@api.post("/signons/{signature}/reject", response={200: SignOnOut, **WRITE_ERRORS}, **WRITE)
def reject(request, signature: int, data: RejectIn):
    signon = get_object_or_404(SignOn.objects.select_related("statement"), pk=signature)
    own_statement(request, signon.statement, MODERATION)
    try:
        signon.reject(reason=data.reason.strip())
    except ValueError as problem:
        raise HttpError(409, str(problem)) from None
    audit.log(None, "rejected", signon, token=request.auth.prefix)
    return {"signature": signon.pk, "status": signon.status}


@api.post("/statements/{slug}/updates", response={201: UpdateOut, **WRITE_ERRORS}, **WRITE)
def post_update(request, slug: str, data: UpdateIn):
    s = get_object_or_404(Statement, slug=slug)
    own_statement(request, s, CONTENT)
    unknown = (set(data.title) | set(data.body)) - set(s.languages)
    if unknown:
        raise HttpError(400, f"Unknown languages for this statement: {', '.join(sorted(unknown))}")
    update = Update(statement=s, title=data.title, body=data.body)
    update.full_clean()
    update.save()
    audit.log(None, "posted update", update, token=request.auth.prefix)
    return 201, update


@api.post("/demands/{demand}/updates", response={201: DemandUpdateOut, **WRITE_ERRORS}, **WRITE)
def change_demand(request, demand: int, data: DemandStatusIn):
    target = get_object_or_404(Demand.objects.select_related("statement"), pk=demand)
    own_statement(request, target.statement, CONTENT)
    update = DemandUpdate(
        demand=target,
        date=data.date or datetime.date.today(),
        status=data.status,
        note=data.note,
        sources="\n".join(data.sources),
    )
    update.full_clean()
    update.save()
    audit.log(None, "changed demand status", target, token=request.auth.prefix, status=data.status)
    return 201, {
        "id": update.pk,
        "date": update.date,
        "status": update.status,
        "note": update.note,
        "sources": update.source_list(),
    }
