"""The JSON API: public reads, cursor pagination, organizers' tokens, errors as JSON."""

import json

import pytest

from tadamun.api.models import ApiToken
from tadamun.audit.models import Event
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Update
from tests.factories import make_coalition, make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def token_for(coalition, role="owner") -> str:
    token = ApiToken(coalition=coalition, name="test", role=role)
    secret = token.issue()
    token.save()
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def pending(client, statement, **form):
    sign_on(client, statement, **form)
    signon = SignOn.objects.latest("pk")
    signon.confirm()
    return signon


def test_reads_need_no_token(client):
    statement = make_statement(strike_day=True)
    for path in (
        "/api/coalitions",
        f"/api/coalitions/{statement.coalition.slug}",
        "/api/statements",
        f"/api/statements/{statement.slug}",
        f"/api/statements/{statement.slug}/versions",
        f"/api/statements/{statement.slug}/versions/1",
        f"/api/statements/{statement.slug}/demands",
        f"/api/statements/{statement.slug}/signatories",
        f"/api/statements/{statement.slug}/counts",
        f"/api/statements/{statement.slug}/strike-days",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/json; charset=utf-8"
    detail = client.get(f"/api/statements/{statement.slug}").json()
    assert detail["title"] == {
        "en": "Statement " + statement.slug.split("-")[1],
        "ar": detail["title"]["ar"],
    }
    assert detail["strike_days"][0]["time_zone"] == "Asia/Damascus"
    assert client.get(f"/api/statements/{statement.slug}/versions/1").json()["content_hash"] == (
        statement.current_version.content_hash
    )


def test_the_signatory_list_pages_with_cursors_and_returns_each_row_once(client):
    statement = make_statement()
    import_signatories(statement, [{"en": f"Organization {n:03}"} for n in range(250)])
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = client.get(f"/api/statements/{statement.slug}/signatories", query).json()
        seen += [row["signature"] for row in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and len(seen) == 250 and len(set(seen)) == 250
    assert seen == sorted(seen)
    bad = client.get(f"/api/statements/{statement.slug}/signatories", {"cursor": "!!"})
    assert bad.status_code == 400 and "cursor" in bad.json()["detail"]
    too_many = client.get(f"/api/statements/{statement.slug}/signatories", {"limit": 5000})
    assert too_many.status_code == 422 and "limit" in too_many.json()["detail"]


def test_no_answer_carries_contact_data(client):
    statement = make_statement(strike_day=True)
    signon = pending(
        client,
        statement,
        contact_name="Hidden Person",
        contact_email="hidden@secret-ngo.org",
        contact_role="Covert Role",
    )
    signon.approve()
    counted = pending(
        client,
        statement,
        name_en="Quiet Org",
        name_ar="",
        listing="counted",
        contact_email="q@quiet.org",
    )
    counted.approve()
    everything = ""
    for path in (
        "/api/statements",
        f"/api/statements/{statement.slug}",
        f"/api/statements/{statement.slug}/signatories",
        f"/api/statements/{statement.slug}/counts",
        "/api/coalitions",
        f"/api/statements/{statement.slug}/demands",
    ):
        everything += client.get(path).content.decode()
    for secret in ("Hidden Person", "hidden@", "secret-ngo", "Covert", "q@quiet", "Quiet Org"):
        assert secret not in everything
    assert (
        json.loads(client.get(f"/api/statements/{statement.slug}/counts").content)["organizations"]
        == 2
    )


def test_a_token_approves_and_rejects_for_its_own_coalition(client):
    statement = make_statement()
    secret = token_for(statement.coalition)
    first = pending(client, statement)
    second = pending(client, statement, name_en="Kesh Malek", name_ar="", contact_email="k@k.org")
    response = client.post(f"/api/signons/{first.pk}/approve", **bearer(secret))
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = client.post(
        f"/api/signons/{second.pk}/reject",
        json.dumps({"reason": "unknown"}),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.json()["status"] == "rejected"
    again = client.post(f"/api/signons/{first.pk}/approve", **bearer(secret))
    assert again.status_code == 409 and "Only confirmed" in again.json()["detail"]
    assert Event.objects.filter(action="approved", detail__token=secret[:8]).exists()


def test_a_token_of_another_coalition_can_touch_nothing(client):
    statement = make_statement()
    other = token_for(make_coalition())
    signon = pending(client, statement)
    demand = statement.demands.first()
    attempts = [
        client.post(f"/api/signons/{signon.pk}/approve", **bearer(other)),
        client.post(
            f"/api/signons/{signon.pk}/reject",
            "{}",
            content_type="application/json",
            **bearer(other),
        ),
        client.post(
            f"/api/statements/{statement.slug}/updates",
            json.dumps({"title": {"en": "x"}, "body": {"en": "y"}}),
            content_type="application/json",
            **bearer(other),
        ),
        client.post(
            f"/api/demands/{demand.pk}/updates",
            json.dumps({"status": "met", "note": {"en": "x"}}),
            content_type="application/json",
            **bearer(other),
        ),
    ]
    assert [a.status_code for a in attempts] == [403, 403, 403, 403]
    assert all("another coalition" in a.json()["detail"] for a in attempts)
    signon.refresh_from_db()
    demand.refresh_from_db()
    assert signon.status == "pending" and demand.status == "open"
    assert not Update.objects.exists()


def test_missing_bad_and_revoked_tokens_are_refused(client):
    statement = make_statement()
    secret = token_for(statement.coalition)
    signon = pending(client, statement)
    url = f"/api/signons/{signon.pk}/approve"
    assert client.post(url).status_code == 401
    assert client.post(url, **bearer("not-a-token")).status_code == 401
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    refused = client.post(url, **bearer(secret))
    assert refused.status_code == 401 and "token" in refused.json()["detail"]
    signon.refresh_from_db()
    assert signon.status == "pending"


def test_organizers_post_updates_and_change_a_demands_status(client):
    statement = make_statement()
    secret = token_for(statement.coalition)
    demand = statement.demands.first()
    response = client.post(
        f"/api/demands/{demand.pk}/updates",
        json.dumps(
            {
                "status": "partly_met",
                "date": "2017-01-05",
                "note": {"en": "Some progress"},
                "sources": ["https://example.org/report"],
            }
        ),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201 and response.json()["sources"] == [
        "https://example.org/report"
    ]
    demand.refresh_from_db()
    assert demand.status == "partly_met"
    bad = client.post(
        f"/api/demands/{demand.pk}/updates",
        json.dumps({"status": "met", "note": {"en": "x"}, "sources": ["javascript:alert(1)"]}),
        content_type="application/json",
        **bearer(secret),
    )
    assert bad.status_code == 400 and "URL" in bad.json()["detail"]
    unknown = client.post(
        f"/api/demands/{demand.pk}/updates",
        json.dumps({"status": "won", "note": {"en": "x"}}),
        content_type="application/json",
        **bearer(secret),
    )
    assert unknown.status_code == 422
    news = client.post(
        f"/api/statements/{statement.slug}/updates",
        json.dumps({"title": {"en": "News"}, "body": {"en": "Text"}}),
        content_type="application/json",
        **bearer(secret),
    )
    assert news.status_code == 201 and Update.objects.get().title == {"en": "News"}


def test_errors_are_json_with_the_right_status(client):
    assert client.get("/api/statements/none").json() == {"detail": "Not found."}
    assert client.get("/api/statements/none/versions/1").status_code == 404
    draft = make_statement(status="draft")
    assert client.get(f"/api/statements/{draft.slug}").status_code == 404
    bad_json = client.post(
        "/api/statements/x/updates",
        "{not json",
        content_type="application/json",
        **bearer(token_for(draft.coalition)),
    )
    assert bad_json.status_code in (400, 404, 422)
    assert bad_json["Content-Type"].startswith("application/json")


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/statements/{slug}/signatories" in schema["paths"]
    assert "BearerAuth" in json.dumps(schema["components"]) or "TokenAuth" in json.dumps(schema)
    assert client.get("/api/docs").status_code == 404  # no page that loads outside scripts
