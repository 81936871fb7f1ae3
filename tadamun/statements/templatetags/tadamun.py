"""Template tags shared by the public pages."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info

from tadamun.localization import format_date, format_datetime, format_number
from tadamun.multilingual import pick

register = template.Library()


@register.inclusion_tag("language_switch.html", takes_context=True)
def language_switch(context):
    """Links to this page in every language, each named in its own language."""
    request = context.get("request")
    path = request.path if request else "/"
    # Only the parameters the pages know travel to the other language: anything else in the
    # address would be copied into a page that caches serve to everyone.
    known = {k: request.GET[k] for k in ("q", "page") if request and request.GET.get(k)}
    if known:
        path += "?" + urlencode(known)
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return {"links": links}


@register.filter
def in_language(texts: dict, language: str) -> str:
    return pick(texts, language)


@register.filter
def local_date(value, width: str = "long") -> str:
    """A date as the page's language writes it (Syrian Arabic months on Arabic pages)."""
    return format_date(value, width)


@register.filter
def local_datetime(value, width: str = "medium") -> str:
    return format_datetime(value, width)


@register.filter
def local_number(value) -> str:
    return format_number(value)
