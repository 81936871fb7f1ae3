"""The JSON API: public reads, cursor pagination, organizers' tokens, errors as JSON."""

import json

import pytest
import schemathesis
from django.db import OperationalError

from tadamun.api import api as api_module
from tadamun.api.models import ApiToken
from tadamun.audit.models import Event
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Pledge, SignOn
from tadamun.statements.models import DemandUpdate, Update
from tests.factories import make_coalition, make_statement, pledge_form, release_next
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


def every_read(client, statement) -> list[str]:
    """Every GET path of the schema, with this statement's parameters filled in."""
    paths = []
    for template, operations in client.get("/api/openapi.json").json()["paths"].items():
        if "get" in operations:
            path = template.replace("/coalitions/{slug}", f"/coalitions/{statement.coalition.slug}")
            path = path.replace("{slug}", statement.slug).replace("{number}", "1")
            assert "{" not in path, f"a read with a parameter this test does not know: {path}"
            paths.append(path)
    return paths


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
    listed = pending(
        client,
        statement,
        contact_name="Hidden Person",
        contact_email="hidden@secret-ngo.org",
        contact_role="Covert Role",
    )
    listed.approve()
    counted = pending(
        client,
        statement,
        name_en="Quiet Org",
        name_ar="",
        listing="counted",
        contact_email="q@quiet.org",
    )
    counted.approve()
    waiting = pending(
        client, statement, name_en="Waiting Org", name_ar="", contact_email="w@waiting.org"
    )
    refused = pending(
        client, statement, name_en="Refused Org", name_ar="", contact_email="r@refused.org"
    )
    refused.reject(reason="Private reason")
    client.post(
        f"/en/statements/{statement.slug}/join/",
        pledge_form(
            email="pledger@hidden-mailbox.net",
            work_email="me@hidden-agency.org",
            wants_updates="on",
        ),
    )
    pledge = Pledge.objects.get()
    pledge.confirm()
    pledge.refresh_from_db()
    release = release_next(statement)
    paths = every_read(client, statement)
    answers = [client.get(path) for path in paths]
    assert [a.status_code for a in answers] == [200] * len(paths)
    everything = "".join(a.content.decode() for a in answers)
    assert "Baytna Syria" in everything  # the listed name is there: the reads did answer
    counts = client.get(f"/api/statements/{statement.slug}/counts").json()
    assert counts["organizations"] == 2 and counts["pledges"] == release.figures["total"]
    private = [
        "Hidden Person",
        "hidden@",
        "secret-ngo",
        "Covert",
        "q@quiet",
        "Quiet Org",
        "Waiting Org",
        "waiting.org",
        "Refused Org",
        "Private reason",
        "pledger@",
        "hidden-mailbox",
        "hidden-agency",
        pledge.email_hash,
    ]
    for signon in (listed, counted, waiting, refused):
        private += [signon.confirm_nonce, signon.withdraw_nonce, signon.reconfirm_nonce]
    for secret in private:
        assert secret not in everything


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
        f"/api/statements/{draft.slug}/updates",
        "{not json",
        content_type="application/json",
        **bearer(token_for(draft.coalition)),
    )
    assert bad_json.status_code == 400
    assert bad_json.json() == {"detail": "Cannot parse request body"}
    assert not Update.objects.exists()


def test_unknown_paths_and_methods_answer_in_json(client):
    for response, status in (
        (client.get("/api/no-such-thing"), 404),
        (client.post("/api/no/such/thing"), 404),
        (client.get("/api/statements/"), 404),  # the trailing slash is not part of the API
        (client.get("/api/"), 404),
        (client.delete("/api/statements"), 405),
        (client.post("/api/openapi.json"), 405),
    ):
        assert response.status_code == status
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["detail"]
    assert client.put("/api/coalitions")["Allow"] == "GET"


def test_nul_characters_are_refused_before_the_database(client):
    # PostgreSQL can neither store nor compare a NUL: without the check these were 500s there.
    statement = make_statement()
    secret = token_for(statement.coalition)
    demand = statement.demands.first()
    assert client.get("/api/statements/a%00b").status_code == 422
    writes = [
        (
            f"/api/statements/{statement.slug}/updates",
            {"title": {"en": "a\x00"}, "body": {"en": "b"}},
        ),
        (f"/api/demands/{demand.pk}/updates", {"status": "met", "note": {"en": "\x00"}}),
        (
            f"/api/demands/{demand.pk}/updates",
            {"status": "met", "note": {"en": "x"}, "sources": ["https://a.org/\x00"]},
        ),
        ("/api/signons/1/reject", {"reason": "\x00"}),
    ]
    for url, body in writes:
        response = client.post(
            url, json.dumps(body), content_type="application/json", **bearer(secret)
        )
        assert response.status_code == 422, url
        assert "NUL characters are not accepted" in response.json()["detail"]
    assert not Update.objects.exists() and not DemandUpdate.objects.exists()


def test_texts_in_languages_the_statement_lacks_or_empty_are_refused(client):
    statement = make_statement(languages=["ar"])
    secret = token_for(statement.coalition)
    demand = statement.demands.first()
    english = client.post(
        f"/api/demands/{demand.pk}/updates",
        json.dumps({"status": "met", "note": {"en": "Done"}}),
        content_type="application/json",
        **bearer(secret),
    )
    assert english.status_code == 400
    assert english.json() == {"detail": "Unknown languages for this statement: en"}
    french = client.post(
        f"/api/demands/{demand.pk}/updates",
        json.dumps({"status": "met", "note": {"fr": "Fait"}}),
        content_type="application/json",
        **bearer(secret),
    )
    assert french.status_code == 422 and "note.fr" in french.json()["detail"]
    empty = client.post(
        f"/api/statements/{statement.slug}/updates",
        json.dumps({"title": {"en": ""}, "body": {"en": "Text"}}),
        content_type="application/json",
        **bearer(secret),
    )
    assert empty.status_code == 422 and "title" in empty.json()["detail"]
    too_long = client.post(
        f"/api/statements/{statement.slug}/updates",
        json.dumps({"title": {"en": "x" * 301}, "body": {"en": "Text"}}),
        content_type="application/json",
        **bearer(secret),
    )
    assert too_long.status_code == 422
    assert not Update.objects.exists() and not DemandUpdate.objects.exists()


def test_a_server_error_is_answered_in_json_and_reported(client, monkeypatch):
    statement = make_statement()

    def broken(statement):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_module.public_counts, "counts", broken)
    client.raise_request_exception = False
    response = client.get(f"/api/statements/{statement.slug}/counts")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error. It has been logged."}
    client.raise_request_exception = True  # as Django does, the test client hears of it
    with pytest.raises(RuntimeError, match="a bug"):
        client.get(f"/api/statements/{statement.slug}/counts")


def test_an_unreachable_database_is_a_json_503_with_retry_after(client, monkeypatch):
    statement = make_statement()

    def unreachable(statement):
        raise OperationalError("connection refused")

    monkeypatch.setattr(api_module.public_counts, "counts", unreachable)
    response = client.get(f"/api/statements/{statement.slug}/counts")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "try again" in response.json()["detail"]


def test_the_openapi_schema_is_served_and_valid(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(schema).validate()  # against the OpenAPI meta-schema
    assert "/api/statements/{slug}/signatories" in schema["paths"]
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    writes = [op for ops in schema["paths"].values() for m, op in ops.items() if m != "get"]
    assert len(writes) == 4 and all(op["security"] == [{"TokenAuth": []}] for op in writes)
    assert client.get("/api/docs").status_code == 404  # no page that loads outside scripts


def test_no_schema_has_a_field_for_contact_data(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    inputs = {"UpdateIn", "DemandStatusIn", "RejectIn"}
    assert inputs <= set(schemas)
    answers = [s for name, s in schemas.items() if name not in inputs]
    fields = {name for s in answers for name in s.get("properties", {})}
    assert "name" in fields and "signature" in fields
    private = {"contact_name", "contact_email", "contact_role", "email", "work_email"}
    assert not fields & (private | {"email_hash", "ip", "reason", "confirm_nonce"})
