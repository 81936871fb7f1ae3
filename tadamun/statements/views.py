"""Public pages of statements: the home page and the statement page."""

import hashlib

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition

from tadamun.multilingual import pick
from tadamun.public import page as statement_page
from tadamun.public import signatories
from tadamun.public.counts import counts
from tadamun.public.statements import public_statement
from tadamun.record import models as record

from .diff import version_diff
from .models import DemandUpdate, Statement, Tally, Version

# How long a rendered statement page may be served: changes are seen at once (the key moves
# with the statement's generation); only the clock (a strike day starting) waits this long.
PAGE_SECONDS = 10


# Public pages are the same for every reader: compressed (they carry no secret, so
# compression leaks nothing) and cacheable for a short while by browsers and proxies.
@gzip_page
@cache_control(public=True, max_age=30)
def home(request):
    statements = (
        Statement.objects.public()
        .filter(status=Statement.Status.OPEN)
        .select_related("coalition", "current_version", "tally__pledge_release")
    )
    language = get_language()
    items = [
        {
            "statement": s,
            "text": s.current_version.text(s.page_language(language)),
            "counts": counts(s),
        }
        for s in statements
    ]
    return render(request, "statements/home.html", {"items": items})


def page_etag(request, slug: str) -> str | None:
    # Computed once per request; the view reuses it as the cache key.
    request.page_key = page_cache_key(request, slug)
    if request.page_key is None:
        return None
    return hashlib.sha256(request.page_key.encode()).hexdigest()[:24]


# Browsers ask again each time (a cheap 304 while nothing changed), so a signer who has just
# withdrawn never sees the old list; shared caches such as the nginx in front may keep the
# page for two seconds.
@gzip_page
@cache_control(public=True, max_age=0, s_maxage=2)
@condition(etag_func=page_etag)
def detail(request, slug: str):
    """The statement page, served from the cache while nothing it shows has changed."""
    key = getattr(request, "page_key", None) or page_cache_key(request, slug)
    content = cache.get(key) if key else None
    if content is not None:
        response = HttpResponse(content)
    else:
        response = render_detail(request, slug)
        if key and response.status_code == 200:
            cache.set(key, response.content, PAGE_SECONDS)
    # nginx (deploy/nginx.conf) reads this, not the browsers' max-age=0, and keeps it 2 s.
    response["X-Accel-Expires"] = "2"
    return response


def page_cache_key(request, slug: str) -> str | None:
    """The key of this page in the cache, bound to the statement's current generation."""
    generation = (
        Tally.objects.filter(statement__slug=slug).values_list("generation", flat=True).first()
    )
    if generation is None:
        return None
    query = request.GET.get("q", "")[:100]
    page = request.GET.get("page", "1")[:10]
    digest = hashlib.sha256(f"{query}\n{page}".encode()).hexdigest()[:16]
    return f"statement-page:{slug}:{get_language()}:{generation}:{digest}"


def render_detail(request, slug: str):
    statement = public_statement(slug)
    context = statement_page.context(
        statement,
        get_language(),
        request.GET.get("q", "")[:100],
        request.GET.get("page"),
        path=request.path,
    )
    return render(request, "statements/detail.html", context)


@gzip_page
@cache_control(public=True, max_age=60)
def timeline(request, slug: str):
    """Every update of the statement, demands and news together, newest first."""
    statement = public_statement(slug)
    demand_updates = DemandUpdate.objects.filter(demand__statement=statement).select_related(
        "demand"
    )
    entries = [
        {"kind": "demand", "date": u.date, "sort": (u.date, u.created_at), "item": u}
        for u in demand_updates
    ] + [
        {
            "kind": "news",
            "date": u.published_at.date(),
            "sort": (u.published_at.date(), u.published_at),
            "item": u,
        }
        for u in statement.updates.all()
    ]
    entries.sort(key=lambda e: e["sort"], reverse=True)
    return render(
        request,
        "statements/timeline.html",
        {"statement": statement, "title": statement.current_title(), "entries": entries},
    )


@gzip_page
@cache_control(public=True, max_age=300)
def versions(request, slug: str):
    statement = public_statement(slug)
    return render(
        request,
        "statements/versions.html",
        {
            "statement": statement,
            "title": statement.current_title(),
            "versions": statement.versions.order_by("-number"),
        },
    )


@gzip_page
@cache_control(public=True, max_age=3600)
def version(request, slug: str, number: int):
    statement = public_statement(slug)
    version = get_object_or_404(Version, statement=statement, number=number)
    language = statement.page_language()
    return render(
        request,
        "statements/version.html",
        {
            "statement": statement,
            "title": statement.current_title(),
            "version": version,
            "text": version.text(language),
            "text_language": language,
        },
    )


@gzip_page
@cache_control(public=True, max_age=3600)
def diff(request, slug: str, old: int, new: int):
    """What changed between two versions, word by word, in each language of the text."""
    statement = public_statement(slug)
    found = {
        v.number: v for v in Version.objects.filter(statement=statement, number__in=[old, new])
    }
    if old not in found or new not in found:
        raise Http404
    languages = [
        statement.page_language(),
        *(c for c in statement.languages if c != statement.page_language()),
    ]
    return render(
        request,
        "statements/diff.html",
        {
            "statement": statement,
            "title": statement.current_title(),
            "old": found[old],
            "new": found[new],
            "comparisons": [
                {"language": code, "diff": version_diff(found[old], found[new], code)}
                for code in languages
            ],
        },
    )


@gzip_page
@cache_control(public=True, max_age=60)
def press_kit(request, slug: str):
    """A printable page: the statement in each of its languages, demands and the full list."""
    return render(request, "statements/press_kit.html", press_kit_context(slug))


@cache_control(public=True, max_age=300)
def press_kit_pdf(request, slug: str):
    """The press kit as PDF, rendered here by WeasyPrint with nothing fetched from anywhere."""
    try:
        # Imported here: it loads the system's Pango library, which a server may lack.
        import weasyprint
    except OSError:  # the system's Pango library is missing
        return HttpResponse(
            _("PDF is not available on this server; print the press kit page instead."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    context = press_kit_context(slug)
    html = render_to_string("statements/press_kit.html", {**context, "pdf": True}, request)

    def refuse(url, *args, **kwargs):
        raise ValueError(f"the PDF fetches nothing: {url}")

    pdf = weasyprint.HTML(string=html, url_fetcher=refuse).write_pdf(
        stylesheets=[weasyprint.CSS(filename=finders.find("tadamun.css"))]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-press-kit.pdf"'
    return response


def press_kit_context(slug: str) -> dict:
    statement = public_statement(slug)
    version = statement.current_version
    language = statement.page_language()
    names = sorted(
        (pick(row["name"], language, [statement.authoritative_language]), row["country"])
        for row in signatories.rows(statement)
    )
    return {
        "statement": statement,
        "title": statement.current_title(),
        "version": version,
        "texts": [{"language": code, "text": version.text(code)} for code in statement.languages],
        "names": names,
        "counts": counts(statement),
        # The signed head of the public record, so that a journalist who keeps the kit can
        # later prove the record was only appended to since (docs/record.md).
        "checkpoint": record.Checkpoint.latest() or record.sign_head(),
        "record_key": record.verifier_key(),
    }


def healthz(request):
    """For load balancers and monitors: the app server answers (it reads no database)."""
    return HttpResponse("ok", content_type="text/plain")
