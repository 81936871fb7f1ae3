"""The JSON API: public reads without a token, organizers' writes with a coalition's token.

Endpoints stay thin: they find the object and call the apps' own methods. No schema here
has a field for contact data, e-mail addresses or anything about pledgers but counts.
"""

import base64
import datetime
import functools
import logging
from collections.abc import Callable
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from tadamun.audit import models as audit
from tadamun.multilingual import language_codes
from tadamun.public import counts as public_counts
from tadamun.public import statements as public_statements
from tadamun.public.signatories import rows
from tadamun.public.statements import public_statement
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Coalition, Demand, DemandUpdate, Statement, Update, Version
from tadamun.statements.roles import CONTENT, MODERATION
from tadamun.unavailable import RETRY_SECONDS, database_down

from .models import ApiToken

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        return ApiToken.find(token)


class JsonAPI(NinjaAPI):
    """A NinjaAPI that answers in JSON also where Ninja leaves it to Django's HTML pages: a
    path under /api/ that does not exist, a method a path does not take, the bare root."""

    @property
    def urls(self) -> tuple[list[URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        patterns = [
            URLPattern(p.pattern, in_json(p.callback), p.default_args, p.name) for p in patterns
        ]
        # Last, so that it only catches what no operation claimed.
        return [*patterns, path("<path:rest>", in_json(nowhere))], app_name, namespace


def in_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not getattr(view, "csrf_exempt", False) and request.method not in ("GET", "HEAD"):
            # Ninja's own pages (the schema, the root) only read; Django would refuse a POST
            # to them with its HTML CSRF page.
            return not_allowed(request, "GET, HEAD")
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error(request, 404, "Not found.")
        if response.status_code == 405 and response["Content-Type"] != api.get_content_type():
            return not_allowed(request, response["Allow"])
        return response

    # Safe: Ninja's operations check CSRF themselves where a cookie could carry authority,
    # and everything else here only reads or says "not found".
    answer.csrf_exempt = True
    return answer


@csrf_exempt
def nowhere(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


api = JsonAPI(
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


def error(request, status: int, detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def not_allowed(request, allowed: str) -> HttpResponse:
    response = error(request, 405, f"This path takes {allowed} only.")
    response["Allow"] = allowed
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "Not found.")


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return error(request, 401, "A valid API token is needed: Authorization: Bearer <token>.")


@api.exception_handler(NinjaValidationError)
def invalid(request, exc):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'input'}: {problem_in(e)}"
        for e in exc.errors
    )
    return error(request, 422, f"Invalid input: {problems}")


def problem_in(error: dict) -> str:
    if (error.get("ctx") or {}).get("pattern") == NO_NUL:
        return "NUL characters are not accepted"
    return error.get("msg", "invalid")


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    return error(request, 400, " ".join(exc.messages))


@api.exception_handler(Exception)
def failed(request, exc):
    if database_down(exc):
        response = error(request, 503, "The database is unavailable; try again shortly.")
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
    # What Django does for an uncaught exception (log it, tell error reporters and the test
    # client), but the answer stays JSON.
    got_request_exception.send(sender=None, request=request)
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc
    )
    return error(request, 500, "Server error. It has been logged.")


# Schemas ----------------------------------------------------------------------------------

Texts = dict[str, str]

# A statement's or coalition's slug; anything else (a NUL byte, which PostgreSQL cannot even
# compare) is refused before it reaches the database.
Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=50)]
# One of the site's languages; whether the statement is published in it, known_languages()
# checks.
LanguageCode = Literal[tuple(language_codes())]
# PostgreSQL stores no NUL character: refused as bad input rather than failing in the database.
NO_NUL = r"^[^\x00]*$"


def texts_in(max_length: int) -> object:
    """Input texts by language: at least one, none empty, none over `max_length`."""
    text = Annotated[str, Field(min_length=1, max_length=max_length, pattern=NO_NUL)]
    return Annotated[dict[LanguageCode, text], Field(min_length=1)]


TitleIn, BodyIn, NoteIn = texts_in(300), texts_in(20_000), texts_in(5_000)


class CoalitionOut(Schema):
    slug: str
    name: Texts
    description: Texts
    website: str


# A wall-clock time in the strike day's time zone. Not the "time" format: that one requires
# an offset, and the offset of a local time depends on the date.
LocalTime = Annotated[
    str, Field(pattern=r"^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$", description="HH:MM:SS in time_zone")
]


class StrikeDayOut(Schema):
    date: datetime.date
    start_time: LocalTime
    end_time: LocalTime
    time_zone: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    phase: str = Field(description="before, during or after")


class CountsOut(Schema):
    organizations: int
    organizations_listed: int
    organizations_pausing_work: int
    pledges: int | None = Field(
        None,
        description="People who joined, as of the last scheduled release of pledge figures: "
        "rounded and with random noise so that no one can be singled out; null before the "
        "first release.",
    )
    pledges_joining_strike: int | None = Field(
        None, description="Those who join the strike day, from the same release."
    )
    pledge_breakdown: dict = Field(
        default_factory=dict,
        description="From the same release: by category (every category, 'none' for not "
        "stated), and the cities and work domains with many people.",
    )
    pledges_released_at: datetime.datetime | None = Field(
        None, description="The scheduled time of the release these pledge figures come from."
    )
    pledges_final: bool = Field(
        False, description="The statement's privacy budget is spent: the figures stay."
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
    title: TitleIn
    body: BodyIn


class UpdateOut(Schema):
    id: int
    title: Texts
    body: Texts
    published_at: datetime.datetime


class DemandStatusIn(Schema):
    status: Demand.Status
    date: datetime.date | None = None
    note: NoteIn = Field(description="A note in one or more languages.")
    sources: list[Annotated[str, Field(max_length=2000, pattern=NO_NUL)]] = Field(
        default_factory=list, max_length=20, description="Links, http or https."
    )


class RejectIn(Schema):
    reason: str = Field("", max_length=2000, pattern=NO_NUL)


class SignOnOut(Schema):
    signature: int
    status: str


# Reads ------------------------------------------------------------------------------------


def texts_of(version: Version, field: str) -> Texts:
    return {code: text[field] for code, text in version.content["texts"].items()}


def strike_days_of(statement: Statement) -> list[dict]:
    return [
        {
            "date": shown["day"].date,
            "start_time": shown["day"].start_time.isoformat(timespec="seconds"),
            "end_time": shown["day"].end_time.isoformat(timespec="seconds"),
            "time_zone": shown["day"].time_zone,
            "starts_at": shown["starts"],
            "ends_at": shown["ends"],
            "phase": shown["phase"],
        }
        for shown in public_statements.strike_days(statement)
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
def coalition(request, slug: Slug):
    return get_object_or_404(Coalition, slug=slug)


@api.get("/statements", response=list[StatementSummary], tags=["read"])
def statements(request):
    rows = Statement.objects.public().select_related("coalition", "current_version")
    return [summary_of(s) for s in rows]


@api.get("/statements/{slug}", response={200: StatementOut, 404: Error, 422: Error}, tags=["read"])
def statement(request, slug: Slug):
    s = public_statement(slug)
    version = s.current_version
    return {
        **summary_of(s),
        "body": texts_of(version, "body"),
        "content_hash": version.content_hash,
        "published_at": version.published_at,
        "strike_days": strike_days_of(s),
        "counts": public_counts.counts(s),
    }


@api.get(
    "/statements/{slug}/counts", response={200: CountsOut, 404: Error, 422: Error}, tags=["read"]
)
def counts(request, slug: Slug):
    return public_counts.counts(public_statement(slug))


@api.get(
    "/statements/{slug}/strike-days",
    response={200: list[StrikeDayOut], 404: Error, 422: Error},
    tags=["read"],
)
def strike_days(request, slug: Slug):
    return strike_days_of(public_statement(slug))


@api.get(
    "/statements/{slug}/versions",
    response={200: list[VersionSummary], 404: Error, 422: Error},
    tags=["read"],
)
def versions(request, slug: Slug):
    return public_statement(slug).versions.order_by("number")


@api.get(
    "/statements/{slug}/versions/{number}",
    response={200: VersionOut, 404: Error, 422: Error},
    tags=["read"],
)
def version(request, slug: Slug, number: int):
    return get_object_or_404(Version, statement=public_statement(slug), number=number)


@api.get(
    "/statements/{slug}/demands",
    response={200: list[DemandOut], 404: Error, 422: Error},
    tags=["read"],
)
def demands(request, slug: Slug):
    return [
        {
            "id": demand.id,
            "number": demand.number,
            "text": demand.texts,
            "status": demand.status,
            "updates": [update_out(update) for update in demand.updates],
        }
        for demand in public_statements.demands(public_statement(slug).current_version)
    ]


def update_out(update: DemandUpdate) -> dict:
    return {
        "id": update.pk,
        "date": update.date,
        "status": update.status,
        "note": update.note,
        "sources": update.source_list(),
    }


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
def signatories(request, slug: Slug, page: Query[PageQuery]):
    """Organizations listed by name, in the order they were approved (by signature number).
    Organizations counted without their names are only in the counts."""
    found = list(rows(public_statement(slug), read_cursor(page.cursor), page.limit + 1))
    items = found[: page.limit]
    more = len(found) > page.limit
    return {"items": items, "next_cursor": make_cursor(items[-1]["signature"]) if more else None}


# Writes -----------------------------------------------------------------------------------


def own_statement(request, statement: Statement, roles: frozenset) -> None:
    if statement.coalition_id != request.auth.coalition_id:
        raise HttpError(403, "This token belongs to another coalition.")
    if request.auth.role not in roles:
        raise HttpError(403, f"A token with the role {request.auth.role} may not do this.")


def known_languages(statement: Statement, *texts: Texts) -> None:
    unknown = set().union(*texts) - set(statement.languages)
    if unknown:
        raise HttpError(400, f"Unknown languages for this statement: {', '.join(sorted(unknown))}")


WRITE = {"auth": TokenAuth(), "tags": ["organizers"]}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def moderate(request, signature: int, action: str, decide) -> dict:
    """Approve or reject a sign-on of the token's coalition; a state conflict is a 409."""
    signon = get_object_or_404(SignOn.objects.select_related("statement"), pk=signature)
    own_statement(request, signon.statement, MODERATION)
    try:
        decide(signon)
    except ValueError as problem:
        raise HttpError(409, str(problem)) from None
    audit.log(None, action, signon, token=request.auth.prefix)
    return {"signature": signon.pk, "status": signon.status}


@api.post("/signons/{signature}/approve", response={200: SignOnOut, **WRITE_ERRORS}, **WRITE)
def approve(request, signature: int):
    return moderate(request, signature, "approved", lambda signon: signon.approve())


@api.post("/signons/{signature}/reject", response={200: SignOnOut, **WRITE_ERRORS}, **WRITE)
def reject(request, signature: int, data: RejectIn):
    reason = data.reason.strip()
    return moderate(request, signature, "rejected", lambda signon: signon.reject(reason=reason))


@api.post("/statements/{slug}/updates", response={201: UpdateOut, **WRITE_ERRORS}, **WRITE)
def post_update(request, slug: Slug, data: UpdateIn):
    s = get_object_or_404(Statement, slug=slug)
    own_statement(request, s, CONTENT)
    known_languages(s, data.title, data.body)
    update = Update(statement=s, title=data.title, body=data.body)
    update.full_clean()
    update.save()
    audit.log(None, "posted update", update, token=request.auth.prefix)
    return Status(201, update)


@api.post("/demands/{demand}/updates", response={201: DemandUpdateOut, **WRITE_ERRORS}, **WRITE)
def change_demand(request, demand: int, data: DemandStatusIn):
    target = get_object_or_404(Demand.objects.select_related("statement"), pk=demand)
    own_statement(request, target.statement, CONTENT)
    known_languages(target.statement, data.note)
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
    return Status(201, update_out(update))
