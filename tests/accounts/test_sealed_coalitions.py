"""Coalitions are sealed from each other: an organizer of coalition A walks every organizer
page (the admin and the desk, followed link by link, searched, filtered, the import
preview) and every API answer, and finds nothing of coalition B that is not public."""

import json
import re
from collections import deque

import pytest
from django.contrib.auth.models import User

from tadamun.api.models import ApiToken
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Notice, Pledge, SignOn
from tadamun.statements.models import Membership, Update
from tests.accounts.test_attacks import PASSWORD, approved, text
from tests.factories import make_coalition, make_statement, with_categories
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

# What only coalition B and its signers know: none of it may reach an organizer of A.
SECRETS = [
    "منظمة مخفية",  # the Arabic name a hidden ("counted") signatory of B gave
    "secret-city-of-b",
    "hidden-org.example",
    "Contact Of Theirs",
    "Pending Org Of Theirs",
    "Reason given by B",
    "Draft Title Of B",
    "draft-of-b",
    "their-owner",
    "Token Of Theirs",
    "pledger@theirs.example",
    "Update on the draft of B",
]
ORGANIZER_PAGES = re.compile(r"^/(?:admin/|(?:ar|en)/desk/)")
SEARCHES = ("/admin/signatures/signon/?status=all&q=", "/admin/signatures/organization/?q=")
NEVER_FOLLOW = re.compile(r"logout|sign-out|/delete/|/password/|javascript:")


@pytest.fixture
def world(client):
    theirs = make_statement(title={"en": "Their public statement", "ar": "بيانهم العلني"})
    draft = make_statement(
        published=False,
        coalition=theirs.coalition,
        slug="draft-of-b",
        title={"en": "Draft Title Of B", "ar": "Draft Title Of B"},
        status="draft",
    )
    Update.objects.create(
        statement=draft, title={"en": "Update on the draft of B"}, body={"en": "x"}
    )
    hidden = approved(
        client,
        theirs,
        name_en="Hidden Org",
        name_ar="منظمة مخفية",
        city="secret-city-of-b",
        website="https://hidden-org.example",
        contact_name="Contact Of Theirs",
        contact_email="director@hidden-org.example",
        listing="counted",
    )
    approved(
        client,
        theirs,
        name_en="Public Org",
        name_ar="منظمة علنية",
        contact_email="a@public-org.example",
        website="https://public-org.example",
    )
    sign_on(
        client, theirs, name_en="Pending Org Of Theirs", name_ar="", contact_email="p@b.example"
    )
    SignOn.objects.get(contact_email="p@b.example").confirm()
    sign_on(client, theirs, name_en="Rejected Org", name_ar="", contact_email="r@b.example")
    rejected = SignOn.objects.get(contact_email="r@b.example")
    rejected.confirm()
    rejected.reject(reason="Reason given by B")
    category = with_categories(theirs)[0]
    Pledge.submit(
        theirs,
        {
            "category": category,
            "appearance": "counted",
            "email": "pledger@theirs.example",
            "wants_updates": True,
        },
        "en",
    ).confirm()
    Notice.objects.create(statement=theirs, kind="strike")
    ApiToken.objects.create(
        coalition=theirs.coalition, name="Token Of Theirs", prefix="b-token", key_hash="b" * 64
    )
    their_owner = User.objects.create_user("their-owner", password=PASSWORD, is_staff=True)
    Membership.objects.create(user=their_owner, coalition=theirs.coalition, role="owner")

    ours = make_statement(coalition=make_coalition(slug="our-coalition"))
    import_signatories(ours, [{"en": "Our Imported Org"}])
    # Someone submits to our statement under the hidden signatory's name, and under a name
    # close to it: the organization record behind both is B's.
    sign_on(
        client,
        ours,
        name_en="Hidden Org",
        name_ar="",
        contact_email="x@attacker.example",
        website="",
    )
    sign_on(client, ours, name_en="Hidden Orgg", name_ar="", contact_email="y@attacker.example")
    for signon in SignOn.objects.filter(statement=ours, status="unconfirmed"):
        signon.confirm()
    return theirs, ours, hidden


def organizer_of(coalition, role: str) -> User:
    user = User.objects.create_user(f"our-{role}", password=PASSWORD, is_staff=True)
    Membership.objects.create(user=user, coalition=coalition, role=role)
    return user


def leaks(body: str) -> list[str]:
    return [secret for secret in SECRETS if secret.casefold() in body.casefold()]


def walk(client, starts: list[str], limit: int = 600) -> dict[str, str]:
    """Every organizer page reachable from `starts` by following links, as a browser would."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = text(response) if response.status_code == 200 else ""
        seen[url] = body
        if "?" in url:
            # A filtered or sorted list shows the same rows as the list: one step is enough.
            continue
        if response.status_code in (301, 302):
            target = response["Location"]
            if ORGANIZER_PAGES.match(target) and not NEVER_FOLLOW.search(target):
                queue.append(target)
        for href in re.findall(r'href="([^"#]+)"', body):
            href = href.replace("&amp;", "&")
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if ORGANIZER_PAGES.match(href) and not NEVER_FOLLOW.search(href):
                queue.append(href)
    return seen


@pytest.mark.parametrize("role", ["moderator", "owner", "editor"])
def test_an_organizer_of_one_coalition_finds_nothing_of_another_that_is_not_public(
    client, world, role
):
    theirs, ours, hidden = world
    user = organizer_of(ours.coalition, role)
    client.force_login(user)
    pages = walk(client, ["/admin/", "/en/desk/", "/ar/desk/", "/en/desk/account/second-factor/"])
    # Searches and filters a moderator would try, and an import of B's names.
    for query in ("Hidden", "منظمة", "hidden-org", "Pending", "secret", "Contact", "Rejected"):
        for url in SEARCHES:
            pages[url + query] = text(client.get(url + query))
    typed = ["Hidden Org", "منظمة مخفية", "Pending Org Of Theirs", "Rejected Org"]
    preview = text(
        client.post(f"/admin/signatures/signon/import/{ours.pk}/", {"names": "\n".join(typed)})
    )
    if role != "editor":
        assert "Check 4 organizations" in preview
        assert "its approved details stay" not in preview
        # What the organizer typed comes back; nothing else of B's may.
        # The names typed come back in the rows' own fields.
        preview = re.sub(r"<input[^>]*>", "", preview)
        pages["import preview"] = re.sub(r"<textarea.*?</textarea>", "", preview, flags=re.S)
        # The desk's import checks the same names on its job's page.
        checked = client.post(f"/en/desk/statements/{ours.pk}/import/", {"names": "\n".join(typed)})
        assert checked.status_code == 302
        job = text(client.get(checked["Location"]))
        assert "Hidden Org" in job and "Already known to this coalition" not in job
        # What the check found, beside each name typed.
        pages["desk import check"] = "\n".join(re.findall(r"</td><td>(.*?)</td></tr>", job, re.S))
    # Their objects, asked for directly by number.
    for signon in SignOn.objects.filter(statement=theirs):
        for url in (
            f"/admin/signatures/signon/{signon.pk}/change/",
            f"/admin/signatures/organization/{signon.organization_id}/change/",
            f"/admin/signatures/signon/{signon.pk}/history/",
        ):
            response = client.get(url, follow=True)
            pages[url] = text(response)
    assert len(pages) > (40 if role != "editor" else 20), sorted(pages)
    found = {url: leaks(body) for url, body in pages.items() if leaks(body)}
    assert not found, found
    # The walk did see this coalition's own work, so it could have seen the other's.
    everything = "\n".join(pages.values())
    if role in ("moderator", "owner"):
        assert "x@attacker.example" in everything and "Our Imported Org" in everything
    assert ours.current_title() in everything


def test_a_token_of_one_coalition_reads_only_what_is_public_of_another(client, world):
    theirs, ours, hidden = world
    token = ApiToken(coalition=ours.coalition, name="ours", role="owner")
    secret = token.issue()
    token.save()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    answers = {}
    for url in (
        "/api/coalitions",
        "/api/statements",
        f"/api/statements/{theirs.slug}",
        f"/api/statements/{theirs.slug}/signatories",
        f"/api/statements/{theirs.slug}/counts",
        f"/api/statements/{theirs.slug}/demands",
        f"/api/statements/{theirs.slug}/versions",
        "/api/statements/draft-of-b",
        "/api/openapi.json",
        f"/data/{theirs.slug}/signatories.json",
    ):
        answers[url] = text(client.get(url, **headers))
    for signon in SignOn.objects.filter(statement=theirs):
        for action in ("approve", "reject"):
            response = client.post(
                f"/api/signons/{signon.pk}/{action}",
                "{}",
                content_type="application/json",
                **headers,
            )
            assert response.status_code == 404
            answers[f"{action} {signon.pk}"] = text(response)
    response = client.post(
        "/api/statements/draft-of-b/updates",
        json.dumps({"title": {"en": "t"}, "body": {"en": "b"}}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    found = {url: leaks(body) for url, body in answers.items() if leaks(body)}
    assert not found, found
    assert "Public Org" in answers[f"/api/statements/{theirs.slug}/signatories"]
