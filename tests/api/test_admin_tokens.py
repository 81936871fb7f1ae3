"""Organizers' API tokens in the admin: created with the secret shown once, revoked by action."""

import hashlib
import re

import pytest

from tadamun.api.models import ApiToken
from tadamun.audit.models import Event
from tadamun.signatures.models import SignOn
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

# secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def pending_signon(client, statement) -> SignOn:
    sign_on(client, statement)
    signon = SignOn.objects.latest("pk")
    signon.confirm()
    return signon


def tokens_in(page: str, token: ApiToken) -> list[str]:
    """The secrets of `token` that appear on the page."""
    return [
        found
        for found in TOKEN.findall(page)
        if hashlib.sha256(found.encode()).hexdigest() == token.key_hash
    ]


def test_the_admin_shows_a_new_token_once_and_keeps_only_its_hash(admin_client, client):
    statement = make_statement()
    form = admin_client.get("/admin/api/apitoken/add/").content.decode()
    assert 'name="name"' in form and 'name="coalition"' in form
    assert 'name="key_hash"' not in form and 'name="prefix"' not in form
    created = admin_client.post(
        "/admin/api/apitoken/add/",
        {"coalition": statement.coalition.pk, "name": "newsroom script", "role": "moderator"},
        follow=True,
    )
    token = ApiToken.objects.get()
    [secret] = tokens_in(created.content.decode(), token)
    assert token.prefix == secret[:8] and token.created_by.username == "admin"
    assert secret not in str(ApiToken.objects.values().get())
    assert Event.objects.filter(action="created API token", detail__prefix=token.prefix).exists()
    for page in ("/admin/api/apitoken/", f"/admin/api/apitoken/{token.pk}/change/"):
        assert tokens_in(admin_client.get(page).content.decode(), token) == []
    signon = pending_signon(client, statement)
    approved = client.post(
        f"/api/signons/{signon.pk}/approve", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_revoking_in_the_admin_shuts_the_token_out(admin_client, client):
    statement = make_statement()
    token = ApiToken(coalition=statement.coalition, name="old laptop", role="moderator")
    secret = token.issue()
    token.save()
    signon = pending_signon(client, statement)
    admin_client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.filter(action="revoked API token", detail__prefix=token.prefix).exists()
    refused = client.post(
        f"/api/signons/{signon.pk}/approve", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert refused.status_code == 401
    signon.refresh_from_db()
    assert signon.status == "pending"
