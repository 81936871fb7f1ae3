"""The desk's first page shows an organizer their coalitions' statements and what waits."""

import pytest
from django.contrib.auth.models import User

from tadamun.statements.models import Membership
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def organizer(coalition, role="moderator", name="maya"):
    user = User.objects.create_user(name, password="a-long-password-1", is_staff=True)
    Membership.objects.create(user=user, coalition=coalition, role=role)
    return user


def test_it_sends_a_stranger_to_sign_in(client):
    response = client.get("/en/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/desk/sign-in/")


def test_it_lists_only_the_organizers_coalitions_and_counts_what_waits(client):
    mine = make_statement()
    theirs = make_statement()
    client.force_login(organizer(mine.coalition))
    response = client.get("/ar/desk/")
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.working_title("ar") in page
    assert theirs.working_title("ar") not in page
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_a_draft_without_a_version_is_listed_by_its_working_title(client):
    draft = make_statement(published=False)
    client.force_login(organizer(draft.coalition))
    assert draft.working_title("en") in client.get("/en/desk/").content.decode()
