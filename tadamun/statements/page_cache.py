"""Rendered statement pages in the shared cache (Redis with several app servers).

A page is stored under a key bound to its statement's generation, so a change is seen at once
and an old page is never served again; it expires after PAGE_SECONDS. An erased name must
not wait even that long in the cache: each statement keeps the keys of its stored pages, and
`drop` deletes them.
"""

from django.core.cache import cache

# How long a rendered statement page may be served: changes are seen at once (the key moves
# with the statement's generation); only the clock (a strike day starting) waits this long.
PAGE_SECONDS = 10
# The keys a statement remembers: its pages in each language, a few searches and pages.
REMEMBERED = 200


def index_key(slug: str) -> str:
    return f"statement-pages:{slug}"


def get(key: str) -> bytes | None:
    return cache.get(key)


def store(slug: str, key: str, content: bytes) -> None:
    cache.set(key, content, PAGE_SECONDS)
    # Two app servers storing at once may each drop the other's key from the index: that
    # page then lives its PAGE_SECONDS, as every page did before.
    keys = [k for k in cache.get(index_key(slug), []) if k != key][-REMEMBERED:]
    cache.set(index_key(slug), [*keys, key], PAGE_SECONDS)


def drop(slug: str) -> None:
    """Delete every stored page of the statement (an erased name may be on them)."""
    keys = cache.get(index_key(slug), [])
    cache.delete_many([*keys, index_key(slug)])
