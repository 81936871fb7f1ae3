"""Public pages of statements: the home page and the statement page."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import translate_url
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page

from tadamun.signatures import dedupe
from tadamun.signatures.models import OrganizationName, SignOn

from .models import Demand, Statement, Tally

PAGE_SIZE = 100


# Public pages are the same for every reader: compressed (they carry no secret, so
# compression leaks nothing) and cacheable for a short while by browsers and proxies.
@gzip_page
@cache_control(public=True, max_age=30)
def home(request):
    statements = (
        Statement.objects.public()
        .filter(status=Statement.Status.OPEN)
        .select_related("coalition", "current_version", "tally")
    )
    language = get_language()
    items = [
        {"statement": s, "text": s.current_version.text(s.page_language(language))}
        for s in statements
    ]
    return render(request, "statements/home.html", {"items": items})


def signatories(statement: Statement, language: str, query: str = ""):
    """The public list: approved, listed by name, sorted by the name in the page's language."""
    order = [language, statement.authoritative_language, *statement.languages]
    rows = (
        SignOn.objects.listed()
        .filter(statement=statement)
        .select_related("organization", "version")
        .annotate(
            sort_name=Coalesce(*(KeyTextTransform(code, "organization__name") for code in order))
        )
        .order_by("sort_name", "pk")
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


def pledge_figures(statement: Statement, tally: Tally) -> dict:
    """The public pledge figures: the live total, and breakdowns from the last snapshot
    that keeps every group at K people or more (signatures/anonymity.py)."""
    snapshot = tally.pledge_figures or {}
    categories = {str(c.pk): str(c) for c in statement.pledge_categories.all()}
    breakdowns = {}
    for dimension in ("category", "city", "domain"):
        part = snapshot.get(dimension) or {"shown": [], "other": 0}
        rows = [
            (categories.get(key, label) if dimension == "category" else label, n)
            for key, label, n in part["shown"]
        ]
        breakdowns[dimension] = {"rows": rows, "other": part["other"]}
    return {
        "total": tally.pledges,
        "striking": snapshot.get("striking"),
        "as_of": snapshot.get("total"),
        "k": settings.ANONYMITY_K,
        **breakdowns,
    }


@gzip_page
@cache_control(public=True, max_age=30)
def detail(request, slug: str):
    statement = get_object_or_404(
        Statement.objects.public().select_related("coalition", "current_version"), slug=slug
    )
    language = get_language()
    text_language = statement.page_language(language)
    version = statement.current_version
    text = version.text(text_language)
    demands_by_id = Demand.objects.in_bulk(version.demand_ids)
    demands = [
        {"number": n, "text": demand_text, "demand": demands_by_id.get(pk)}
        for n, (pk, demand_text) in enumerate(zip(version.demand_ids, text["demands"]), start=1)
    ]
    tally = Tally.of(statement)
    figures = pledge_figures(statement, tally)
    authoritative_url = None
    if language != statement.authoritative_language:
        authoritative_url = translate_url(request.path, statement.authoritative_language)
    query = request.GET.get("q", "")[:100]
    page = Paginator(signatories(statement, language, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "statements/detail.html",
        {
            "statement": statement,
            "version": version,
            "text": text,
            "text_language": text_language,
            "demands": demands,
            "tally": tally,
            "unnamed": tally.organizations - tally.organizations_named,
            "figures": figures,
            "named_pledges": statement.pledges.counted()
            .filter(appearance="named")
            .select_related("category")
            .order_by("public_name", "pk")[:PAGE_SIZE],
            "authoritative_url": authoritative_url,
            "strike_days": list(statement.strike_days.all()),
            "page": page,
            "query": query,
        },
    )
