"""What other sites can show: a live count badge (SVG) and a small card for an iframe."""

from csp.decorators import csp_replace
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language_bidi
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from tadamun.public.counts import counts
from tadamun.public.statements import public_statement


@cache_control(public=True, max_age=60)
def badge(request, slug: str):
    counted = counts(public_statement(slug))
    svg = render_to_string(
        "statements/badge.svg",
        {
            "organizations": counted.organizations,
            "people": counted.pledges,
            "rtl": get_language_bidi(),
        },
        request,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Only this page may be framed by other sites; every other page forbids it.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cache_control(public=True, max_age=60)
def card(request, slug: str):
    statement = public_statement(slug)
    return render(
        request,
        "statements/card.html",
        {"statement": statement, "title": statement.current_title(), "counts": counts(statement)},
    )
