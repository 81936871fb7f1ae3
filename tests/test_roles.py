"""Coalition roles in the admin and the API: every admin URL and API route, tried as each
role and as an organizer of another coalition."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from tadamun.api.models import ApiToken
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Notice, Organization, SignOn
from tadamun.statements.models import DemandUpdate, Membership, Tally
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

# What each role may see (view) and change, per model: the specification this test holds
# the admin to. Superusers may do everything; "stranger" is an owner of another coalition.
SPEC = {
    "statements.coalition": {"view": {"owner", "editor", "moderator"}, "change": {"owner"}},
    "statements.statement": {
        "view": {"owner", "editor", "moderator"},
        "change": {"owner", "editor"},
    },
    "statements.version": {"view": {"owner", "editor", "moderator"}, "change": set()},
    "statements.tally": {"view": {"owner", "editor", "moderator"}, "change": set()},
    "statements.demand": {"view": {"owner", "editor", "moderator"}, "change": set()},
    "statements.demandupdate": {
        "view": {"owner", "editor", "moderator"},
        "change": {"owner", "editor"},
    },
    "signatures.signon": {"view": {"owner", "moderator"}, "change": {"owner", "moderator"}},
    "signatures.organization": {"view": {"owner", "moderator"}, "change": {"owner", "moderator"}},
    "signatures.notice": {"view": {"owner", "editor", "moderator"}, "change": set()},
    "api.apitoken": {"view": {"owner"}, "change": set()},
}
ROLES = ["owner", "editor", "moderator", "stranger"]


@pytest.fixture
def world(client):
    statement = make_statement(strike_day=True)
    other = make_statement()
    import_signatories(statement, [{"en": "Kesh Malek"}])
    sign_on(client, statement)
    signon = SignOn.objects.get(contact_email="rima@baytnasyria.org")
    signon.confirm()
    objects = {
        "statements.coalition": statement.coalition,
        "statements.statement": statement,
        "statements.version": statement.current_version,
        "statements.tally": Tally.objects.get(statement=statement),
        "statements.demand": statement.demands.first(),
        "statements.demandupdate": DemandUpdate.objects.create(
            demand=statement.demands.first(), status="met", note={"en": "done"}
        ),
        "signatures.signon": signon,
        "signatures.organization": Organization.objects.get(names__name="Kesh Malek"),
        "signatures.notice": Notice.objects.create(statement=statement, kind="strike"),
        "api.apitoken": ApiToken.objects.create(
            coalition=statement.coalition, name="t", prefix="abc", key_hash="x" * 64
        ),
    }
    users = {}
    for role in ROLES:
        user = User.objects.create_user(role, password="pw-" + role * 3, is_staff=True)
        coalition = other.coalition if role == "stranger" else statement.coalition
        Membership.objects.create(
            user=user, coalition=coalition, role="owner" if role == "stranger" else role
        )
        users[role] = user
    return statement, other, objects, users


def status_of(client, url):
    return client.get(url).status_code


def test_every_admin_url_as_every_role(world, client):
    statement, _other, objects, users = world
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert set(SPEC) <= registered
    checked = 0
    for role, user in users.items():
        client.force_login(user)
        for label, rules in SPEC.items():
            app, model = label.split(".")
            obj = objects[label]
            changelist = reverse(f"admin:{app}_{model}_changelist")
            change = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
            delete = reverse(f"admin:{app}_{model}_delete", args=[obj.pk])
            may_view = role in rules["view"] or role in rules["change"]
            listed = client.get(changelist)
            if may_view:
                assert listed.status_code == 200, (role, label)
                assert f"/{obj.pk}/change/" in listed.content.decode(), (role, label)
            else:
                # A stranger may list their own coalition's objects, never this one.
                assert listed.status_code in (200, 403), (role, label, listed.status_code)
                assert f"/{obj.pk}/change/" not in listed.content.decode(), (role, label)
            page = client.get(change)
            if may_view:
                assert page.status_code == 200, (role, label)
                can_save = 'name="_save"' in page.content.decode()
                assert can_save == (role in rules["change"]), (role, label)
            else:
                # Another coalition's object does not exist for this user.
                assert page.status_code in (302, 403, 404), (role, label, page.status_code)
            assert client.get(delete).status_code in (302, 403, 404), (role, label)
            checked += 3
        # Bringing in a list: moderation.
        imported = status_of(client, reverse("admin:signatures_signon_import", args=[statement.pk]))
        assert (imported == 200) == (role in ("owner", "moderator")), (role, imported)
        checked += 1
    # Everything else in the admin (users, groups, the task queue, the audit log, the
    # record's admin view) is for superusers: organizers are refused.
    for role, user in users.items():
        client.force_login(user)
        for model in admin.site._registry:
            label = model._meta.label_lower
            if label in SPEC:
                continue
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert client.get(url).status_code == 403, (role, label)
            checked += 1
    print(f"\nROLES: {checked} admin URL checks for {len(users)} organizers")


def test_an_editor_cannot_approve_and_a_stranger_sees_nothing(world, client):
    statement, _other, objects, users = world
    signon = objects["signatures.signon"]
    for role in ("editor", "stranger"):
        client.force_login(users[role])
        client.post(
            "/admin/signatures/signon/", {"action": "approve", "_selected_action": [signon.pk]}
        )
        signon.refresh_from_db()
        assert signon.status == "pending", role
    client.force_login(users["moderator"])
    client.post("/admin/signatures/signon/", {"action": "approve", "_selected_action": [signon.pk]})
    signon.refresh_from_db()
    assert signon.status == "approved"
    client.force_login(users["stranger"])
    page = client.get("/admin/statements/statement/").content.decode()
    assert statement.slug not in page


def test_an_editor_can_publish_but_a_moderator_cannot(world, client):
    statement, _other, _objects, users = world
    statement.body = {"en": "Changed.", "ar": "تغيّر."}
    statement.save()
    for role, expected in (("moderator", 1), ("editor", 2)):
        client.force_login(users[role])
        client.post(
            "/admin/statements/statement/",
            {"action": "publish", "_selected_action": [statement.pk]},
        )
        statement.refresh_from_db()
        assert statement.current_version.number == expected, role


def api_token(coalition, role):
    token = ApiToken(coalition=coalition, name=role, role=role)
    secret = token.issue()
    token.save()
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_every_api_write_route_as_every_role(world, client):
    statement, other, objects, _users = world
    demand = objects["statements.demand"]
    signon = objects["signatures.signon"]
    routes = {
        "approve": (f"/api/signons/{signon.pk}/approve", {}, {"owner", "moderator"}),
        "reject": (f"/api/signons/{signon.pk}/reject", {"reason": "x"}, {"owner", "moderator"}),
        "update": (
            f"/api/statements/{statement.slug}/updates",
            {"title": {"en": "t"}, "body": {"en": "b"}},
            {"owner", "editor"},
        ),
        "demand": (
            f"/api/demands/{demand.pk}/updates",
            {"status": "refused", "note": {"en": "n"}},
            {"owner", "editor"},
        ),
    }
    checked = 0
    for role in ROLES:
        coalition = other.coalition if role == "stranger" else statement.coalition
        headers = api_token(coalition, "owner" if role == "stranger" else role)
        for name, (url, body, allowed) in routes.items():
            if name in ("approve", "reject"):
                SignOn.objects.filter(pk=signon.pk).update(status="pending")
            response = client.post(
                url, json.dumps(body), content_type="application/json", **headers
            )
            expected = 404 if role == "stranger" else 403 if role not in allowed else None
            if expected:
                assert response.status_code == expected, (role, name, response.status_code)
            else:
                assert response.status_code in (200, 201), (role, name, response.content)
            checked += 1
    print(f"\nROLES: {checked} API write checks")
