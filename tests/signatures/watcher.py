"""What a watcher reads: every public output of a statement, as bytes, for the adversary tests
of pledge figures (tests/signatures/test_pledge_privacy.py) and the test that each output shows
the stored release (tests/signatures/test_pledge_releases.py)."""

from django.test import Client

from tadamun.statements.models import Statement

LANGUAGES = ("en", "ar")


def paths(statement: Statement, light: bool = False) -> list[str]:
    """Every public read of `statement` (its pages in each language, the embeds, the exports,
    the API, the feeds and the record); `light` keeps those that carry pledge figures or
    could move with a pledge (for the tests that read after every step)."""
    slug = statement.slug
    pages = [
        f"/{language}/{rest}"
        for language in LANGUAGES
        for rest in (
            f"statements/{slug}/",
            f"statements/{slug}/press/",
            f"statements/{slug}/badge.svg",
            f"statements/{slug}/card/",
        )
    ]
    data = [
        f"/data/{slug}/signatories.json",
        f"/api/statements/{slug}/counts",
        f"/api/statements/{slug}",
    ]
    if light:
        return pages[:4] + data
    return [
        *pages,
        *[f"/{language}/" for language in LANGUAGES],
        *[
            f"/{language}/statements/{slug}/{rest}"
            for language in LANGUAGES
            for rest in ("timeline/", "versions/", "feeds/updates.atom", "feeds/demands.atom")
        ],
        *data,
        f"/data/{slug}/signatories.csv",
        "/api/statements",
        f"/api/statements/{slug}/signatories",
        f"/api/statements/{slug}/strike-days",
        f"/api/statements/{slug}/demands",
        "/data/record.jsonl",
    ]


def read(client: Client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # The validator a cache or a watcher compares: it must not move either.
    return response.get("ETag", "").encode() + b"\n" + body


def everything(client: Client, statement: Statement, light: bool = False) -> dict[str, bytes]:
    """{path: what it answers}, for every public read of `statement`."""
    return {path: read(client, path) for path in paths(statement, light)}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return [path for path in before if before[path] != after[path]]
