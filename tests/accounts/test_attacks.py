"""The four attacks of issue 14, played as the attacker played them: each failed before the
fix (the admin took unlimited guesses, a moderator named a signatory that asked to be only
counted, renamed another coalition's signatory, and read another coalition's hidden ones)."""

import pytest
from django.contrib.auth.models import User

from tadamun.record.models import Entry
from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.models import Membership
from tests.accounts.forms import form_data
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-for-the-moderator"


def organizer(coalition, role="moderator", username=None) -> User:
    user = User.objects.create_user(
        username or f"{role}-{coalition.slug}", password=PASSWORD, is_staff=True
    )
    Membership.objects.create(user=user, coalition=coalition, role=role)
    return user


def approved(client, statement, **form) -> SignOn:
    sign_on(client, statement, **form)
    signon = SignOn.objects.filter(statement=statement).latest("pk")
    signon.confirm()
    signon.approve()
    return signon


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def sign_in_form(client, path="/admin/login/"):
    """Where the admin's sign-in form is, after any redirect a browser would follow."""
    page = client.get(path, follow=True)
    return page.request["PATH_INFO"], page


def test_thirty_wrong_passwords_then_the_right_one_do_not_open_the_admin(client):
    statement = make_statement()
    user = organizer(statement.coalition)
    path, _page = sign_in_form(client)
    for attempt in range(30):
        client.post(path, {"username": user.username, "password": f"guess-{attempt}"})
    client.post(path, {"username": user.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302, "the guesser got in"


def test_a_password_alone_does_not_open_the_admin_when_two_factors_are_required(client, settings):
    settings.TWO_FACTOR = True
    statement = make_statement()
    user = organizer(statement.coalition)
    path, _page = sign_in_form(client)
    client.post(path, {"username": user.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/signatures/signon/").status_code == 302


def test_an_organizer_session_lasts_at_most_twelve_idle_hours(client):
    statement = make_statement()
    user = organizer(statement.coalition)
    path, _page = sign_in_form(client)
    response = client.post(path, {"username": user.username, "password": PASSWORD})
    assert int(response.cookies["sessionid"]["max-age"]) <= 12 * 3600
    # Working at the desk keeps it open: a request some minutes later renews the 12 hours.
    session = client.session
    session["tadamun.seen"] -= 400
    session.save()
    renewed = client.get("/admin/")
    assert renewed.status_code == 200
    assert int(renewed.cookies["sessionid"]["max-age"]) == 12 * 3600


def test_a_moderator_cannot_name_a_signatory_that_asked_to_be_only_counted(client):
    statement = make_statement()
    signon = approved(client, statement, listing="counted")
    client.force_login(organizer(statement.coalition))
    url = f"/admin/signatures/signon/{signon.pk}/change/"
    page = client.get(url)
    data = form_data(page.content.decode(), "signon_form")
    data["listing"] = ["named"]
    client.post(url, data)
    signon.refresh_from_db()
    assert signon.listing == "counted"
    for url in (
        f"/data/{statement.slug}/signatories.csv",
        f"/api/statements/{statement.slug}/signatories",
        statement.get_absolute_url(),
    ):
        assert "Baytna" not in text(client.get(url)), url


def test_a_moderator_cannot_rename_an_organization_that_signed_another_coalitions_statement(
    client,
):
    theirs, ours = make_statement(), make_statement()
    approved(client, theirs)
    # Anyone submits under that name to our statement, so the organization is "ours" too.
    sign_on(client, ours, contact_email="someone@elsewhere.example")
    organization = Organization.objects.get()
    client.force_login(organizer(ours.coalition))
    url = f"/admin/signatures/organization/{organization.pk}/change/"
    page = client.get(url)
    if page.status_code == 200:
        data = form_data(page.content.decode(), "organization_form")
        data = {
            key: [value.replace("Baytna Syria", "Agents") for value in values]
            for key, values in data.items()
        }
        data = {
            key: [value.replace("بيتنا سوريا", "عملاء") for value in values]
            for key, values in data.items()
        }
        client.post(url, data)
    organization.refresh_from_db()
    assert organization.name == {"en": "Baytna Syria", "ar": "بيتنا سوريا"}
    for language in ("en", "ar"):
        listed = client.get(f"/{language}/statements/{theirs.slug}/").content.decode()
        assert "Agents" not in listed and "عملاء" not in listed


def test_a_moderator_learns_nothing_of_another_coalitions_hidden_signatories(client):
    theirs, ours = make_statement(), make_statement()
    approved(client, theirs, listing="counted")
    client.force_login(organizer(ours.coalition))
    preview = client.post(
        f"/admin/signatures/signon/import/{ours.pk}/", {"names": "Baytna Syria\nKesh Malek"}
    ).content.decode()
    assert "Check 2 organizations" in preview
    assert "its approved details stay" not in preview and "بيتنا سوريا" not in preview
    client.logout()
    sign_on(client, ours, contact_email="someone@elsewhere.example")
    signon = SignOn.objects.get(statement=ours)
    signon.confirm()
    client.force_login(User.objects.get(username=f"moderator-{ours.coalition.slug}"))
    page = client.get(f"/admin/signatures/signon/{signon.pk}/change/").content.decode()
    assert theirs.current_title() not in page
    queue = client.get("/admin/signatures/signon/").content.decode()
    assert theirs.current_title() not in queue
    assert Entry.objects.filter(action="approved").count() == 1
