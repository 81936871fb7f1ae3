"""Everything the statement page shows, for the page itself and for organizers' previews."""

from django.core.paginator import Page, Paginator
from django.urls import translate_url

from tadamun.statements.models import Statement, Version

from . import signatories
from .counts import counts, pledge_figures
from .statements import demands, strike_days

PAGE_SIZE = 100


class CountedPaginator(Paginator):
    """A paginator told the number of rows (from the Tally) instead of counting them."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def list_page(statement: Statement, language: str, query: str, number) -> Page:
    rows = signatories.by_name(statement, language, query)
    if query:
        paginator = Paginator(rows, PAGE_SIZE)
    else:
        paginator = CountedPaginator(rows, PAGE_SIZE, count=counts(statement).organizations_listed)
    return paginator.get_page(number)


def context(
    statement: Statement,
    language: str,
    query: str = "",
    page=None,
    version: Version | None = None,
    path: str = "",
) -> dict:
    """The statement page's template context (statements/detail.html) in `language`, with the
    list filtered by `query` at page number `page`. `version` is the published one unless
    given (the organizers' preview gives an unsaved one made from the working copy); `path`,
    the page's own address, links the same page in the authoritative language."""
    text_language = statement.page_language(language)
    version = version or statement.current_version
    counted = counts(statement)
    days = strike_days(statement)
    authoritative_url = None
    if path and language != statement.authoritative_language:
        authoritative_url = translate_url(path, statement.authoritative_language)
    return {
        "statement": statement,
        "version": version,
        "text": version.text(text_language),
        "text_language": text_language,
        "demands": demands(version, text_language),
        "counts": counted,
        "figures": pledge_figures(statement, counted),
        "named_pledges": signatories.named_pledges(statement, PAGE_SIZE),
        "strike_days": days,
        "striking_now": any(day["phase"] == "during" for day in days),
        "updates": list(statement.updates.all()[:3]),
        "page": list_page(statement, language, query, page),
        "query": query,
        "authoritative_url": authoritative_url,
    }
