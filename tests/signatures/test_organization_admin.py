"""An organization's spellings edited in the admin: each is found again by later sign-ons, and
one that belongs to another organization is refused (merge them instead)."""

import pytest
from django.contrib.auth.models import User

from tadamun.signatures.models import Organization, OrganizationName

pytestmark = pytest.mark.django_db


def form(organization=None, names=(), **fields) -> dict:
    existing = list(organization.names.all()) if organization else []
    data = {
        "name_en": fields.get("name_en", "Violet Organization"),
        "name_ar": fields.get("name_ar", "منظمة بنفسج"),
        "country": "Syria",
        "city": "Idlib",
        "website": "",
        "names-TOTAL_FORMS": str(len(existing) + len(names)),
        "names-INITIAL_FORMS": str(len(existing)),
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
    }
    for row, spelling in enumerate(existing):
        data |= {f"names-{row}-id": str(spelling.pk), f"names-{row}-name": spelling.name}
        data[f"names-{row}-organization"] = str(organization.pk)
    for row, name in enumerate(names, start=len(existing)):
        data |= {f"names-{row}-id": "", f"names-{row}-name": name}
    return data


@pytest.fixture
def superuser(client):
    client.force_login(User.objects.create_superuser("root", password="x"))


def test_an_organization_added_by_hand_is_found_by_its_names(client, superuser):
    response = client.post("/admin/signatures/organization/add/", form(names=["Violet Org"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get()
    for spelling in ("Violet Organization", "منظمة بنفسج", "VIOLET org"):
        assert Organization.find_or_create({"en": spelling}) == organization
    assert OrganizationName.objects.filter(key="").count() == 0


def test_a_spelling_added_on_the_page_gets_its_key(client, superuser):
    organization = Organization.find_or_create({"en": "Violet Organization"})
    response = client.post(
        f"/admin/signatures/organization/{organization.pk}/change/",
        form(organization, names=["Violet Org."]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organization.find_or_create({"en": "violet org"}) == organization


def test_a_spelling_another_organization_holds_is_refused(client, superuser):
    Organization.find_or_create({"en": "Kesh Malek"})
    organization = Organization.find_or_create({"en": "Violet Organization"})
    response = client.post(
        f"/admin/signatures/organization/{organization.pk}/change/",
        form(organization, names=["KESH MALEK"]),
    )
    assert response.status_code == 200
    assert "Kesh Malek is already known by this name: merge the two instead." in (
        response.content.decode()
    )
    assert organization.names.count() == 1


def test_the_same_spelling_twice_is_refused_not_a_server_error(client, superuser):
    organization = Organization.find_or_create({"en": "Violet Organization"})
    response = client.post(
        f"/admin/signatures/organization/{organization.pk}/change/",
        form(organization, names=["Violet Org", "violet org"]),
    )
    assert response.status_code == 200
    assert "The same name is given twice." in response.content.decode()
