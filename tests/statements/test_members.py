"""Giving a colleague a role: on the coalition's admin page, by the user name the
administrator gave them, without a list of every account to choose from."""

import pytest
from django.contrib.auth.models import User

from tadamun.statements.models import Membership
from tests.factories import make_coalition

pytestmark = pytest.mark.django_db


def coalition_form(coalition, members: list[tuple[str, str]], initial: int = 0) -> dict:
    data = {
        "name_en": coalition.name["en"],
        "name_ar": coalition.name["ar"],
        "slug": coalition.slug,
        "website": "",
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for row, (username, role) in enumerate(members):
        data[f"memberships-{row}-user"] = username
        data[f"memberships-{row}-role"] = role
        data[f"memberships-{row}-coalition"] = str(coalition.pk)
    return data


@pytest.fixture
def owner(client):
    coalition = make_coalition()
    user = User.objects.create_user("owner", password="x", is_staff=True)
    Membership.objects.create(user=user, coalition=coalition, role="owner")
    client.force_login(user)
    return coalition


def test_an_owner_gives_a_colleague_a_role_by_user_name(client, owner):
    User.objects.create_user("rima", password="x", is_staff=True)
    membership = Membership.objects.get(coalition=owner)
    data = coalition_form(owner, [("owner", "owner"), ("rima", "moderator")], initial=1)
    data["memberships-0-id"] = str(membership.pk)
    data["memberships-1-id"] = ""
    response = client.post(f"/admin/statements/coalition/{owner.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.get(user__username="rima").role == "moderator"
    page = client.get(f"/admin/statements/coalition/{owner.pk}/change/").content.decode()
    # The box shows the name, not the account's number.
    assert 'value="rima"' in page and 'value="owner"' in page


@pytest.mark.parametrize("username", ["nobody", "not-staff"])
def test_a_name_that_is_no_organizer_account_is_refused_with_a_reason(client, owner, username):
    User.objects.create_user("not-staff", password="x")
    membership = Membership.objects.get(coalition=owner)
    data = coalition_form(owner, [("owner", "owner"), (username, "editor")], initial=1)
    data["memberships-0-id"] = str(membership.pk)
    data["memberships-1-id"] = ""
    response = client.post(f"/admin/statements/coalition/{owner.pk}/change/", data)
    assert response.status_code == 200
    assert "No organizer account has this user name." in response.content.decode()
    assert Membership.objects.filter(coalition=owner).count() == 1


def test_the_page_lists_no_account_to_choose_from(client, owner):
    User.objects.create_user("someone-else", password="x", is_staff=True)
    page = client.get(f"/admin/statements/coalition/{owner.pk}/change/").content.decode()
    assert "someone-else" not in page
    # The user list stays closed to an owner.
    assert client.get("/admin/auth/user/").status_code == 403
