"""An owner gives a colleague a role by e-mail address, changes it or takes it away; a new
colleague chooses a password from the e-mail, on the desk, in the owner's language."""

import re

import pytest
from django.contrib.auth.models import User

from tadamun.statements.models import Membership
from tests.desk.helpers import organizer
from tests.factories import make_coalition

pytestmark = pytest.mark.django_db


def team(coalition, language="en") -> str:
    return f"/{language}/desk/coalitions/{coalition.pk}/team/"


def link_in(message, part: str) -> str:
    text = message.get_body(("plain",)).get_content()
    url = next(u for u in re.findall(r"https?://\S+", text) if part in u)
    return "/" + url.split("/", 3)[3]


def test_a_new_colleague_gets_an_account_a_role_and_a_link_to_choose_a_password(
    client, smtp, run_worker
):
    coalition = make_coalition()
    client.force_login(organizer(coalition, role="owner"))
    response = client.post(
        team(coalition, "ar"), {"email": "Nour@Example.org", "role": "moderator"}
    )
    assert response.status_code == 302
    colleague = User.objects.get(email="nour@example.org")
    assert colleague.is_staff and not colleague.has_usable_password()
    assert Membership.objects.get(user=colleague, coalition=coalition).role == "moderator"
    page = client.get(response["Location"]).content.decode()
    assert "nour@example.org" in page and "لم يختر كلمة مرور بعد" in page

    run_worker()
    [message] = smtp.wait_for(1)
    assert message["To"] == "nour@example.org"
    link = link_in(message, "/desk/set-password/")
    assert link.startswith("/ar/desk/set-password/")  # in the owner's language
    client.logout()
    form = client.get(link, follow=True)
    assert 'lang="ar"' in form.content.decode()
    assert "nour@example.org" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-good-long-passphrase-7", "new_password2": "a-good-long-passphrase-7"},
    )
    assert done.status_code == 302
    # The colleague signs in at the desk's page with the password they chose.
    signed_in = client.post(
        "/en/desk/sign-in/",
        {"username": "nour@example.org", "password": "a-good-long-passphrase-7"},
    )
    assert signed_in.status_code == 302
    assert client.get("/en/desk/").status_code == 200
    # The link works once.
    client.logout()
    assert "لم يعد هذا الرابط يعمل" in client.get(link, follow=True).content.decode()


def test_a_colleague_with_an_account_gets_the_role_and_a_message_without_a_link(
    client, smtp, run_worker
):
    coalition = make_coalition()
    other = make_coalition()
    colleague = organizer(other, role="editor", name="sami")
    client.force_login(organizer(coalition, role="owner"))
    client.post(team(coalition), {"email": "SAMI@example.org", "role": "editor"})
    assert Membership.objects.get(user=colleague, coalition=coalition).role == "editor"
    assert User.objects.count() == 2
    run_worker()
    [message] = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert "set-password" not in text and "/en/desk/" in text


def test_an_owner_changes_a_role_and_removes_one(client):
    coalition = make_coalition()
    client.force_login(organizer(coalition, role="owner"))
    colleague = organizer(coalition, role="editor", name="hala")
    membership = Membership.objects.get(user=colleague)
    url = f"{team(coalition)}{membership.pk}/"
    client.post(url, {"action": "change", f"m{membership.pk}-role": "moderator"})
    membership.refresh_from_db()
    assert membership.role == "moderator"
    client.post(url, {"action": "remove"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=colleague.pk).exists()  # the account stays


def test_the_last_owner_cannot_step_down_or_be_removed(client):
    coalition = make_coalition()
    owner = organizer(coalition, role="owner")
    client.force_login(owner)
    membership = Membership.objects.get(user=owner)
    url = f"{team(coalition)}{membership.pk}/"
    page = client.post(
        url, {"action": "change", f"m{membership.pk}-role": "editor"}, follow=True
    ).content.decode()
    assert "A coalition keeps at least one owner" in page
    client.post(url, {"action": "remove"})
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_one_role_per_coalition(client, smtp, run_worker):
    coalition = make_coalition()
    client.force_login(organizer(coalition, role="owner"))
    organizer(coalition, role="editor", name="hala")
    response = client.post(team(coalition), {"email": "hala@example.org", "role": "owner"})
    assert response.status_code == 400
    assert "already has a role in this coalition" in response.content.decode()
    assert Membership.objects.get(user__username="hala").role == "editor"
    run_worker()
    assert smtp.messages == []


def test_bad_input_gets_a_clear_message_and_changes_nothing(client):
    coalition = make_coalition()
    client.force_login(organizer(coalition, role="owner"))
    response = client.post(team(coalition), {"email": "not an address", "role": "king"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Select a valid choice." in page
    assert User.objects.count() == 1 and Membership.objects.count() == 1


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_only_owners_see_the_team(client, role):
    coalition = make_coalition()
    colleague = organizer(coalition, role="editor", name="hala")
    client.force_login(organizer(coalition, role=role))
    assert client.get(team(coalition)).status_code == 404
    membership = Membership.objects.get(user=colleague)
    assert (
        client.post(f"{team(coalition)}{membership.pk}/", {"action": "remove"}).status_code == 404
    )
    assert client.post(team(coalition), {"email": "x@y.org", "role": "owner"}).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not User.objects.filter(email="x@y.org").exists()
    assert "/team/" not in client.get("/en/desk/").content.decode()


def test_an_owner_of_another_coalition_sees_and_changes_nothing(client):
    coalition = make_coalition()
    mine = make_coalition()
    colleague = organizer(coalition, role="editor", name="hala")
    client.force_login(organizer(mine, role="owner"))
    membership = Membership.objects.get(user=colleague)
    assert client.get(team(coalition)).status_code == 404
    # Not through their own coalition's address either.
    response = client.post(f"{team(mine)}{membership.pk}/", {"action": "remove"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
