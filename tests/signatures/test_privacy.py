"""Contact data never reaches a public page or the record."""

import json

import pytest

from tadamun.record.models import Entry
from tadamun.signatures.models import SignOn
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Zaynab Qabbani-Secret",
    "contact_email": "zaynab.private@hidden-mailbox.org",
    "contact_role": "Clandestine Coordinator",
}


def test_no_contact_data_in_any_public_page_or_record_entry(client, admin_client):
    statement = make_statement(strike_day=True)
    sign_on(client, statement, **CONTACT)
    sign_on(
        client,
        statement,
        name_en="Kesh Malek",
        name_ar="",
        listing="counted",
        contact_email="hidden@kesh.org",
        contact_name="Hidden Person",
        contact_role="Hidden",
    )
    for signon in SignOn.objects.all():
        signon.confirm()
        signon.approve()
    pages = [
        "/en/",
        "/ar/",
        statement.get_absolute_url(),
        f"/ar/statements/{statement.slug}/",
        f"/en/statements/{statement.slug}/?q=baytna",
        f"/en/statements/{statement.slug}/sign/sent/",
    ]
    secrets = [*CONTACT.values(), "hidden@kesh.org", "Hidden Person", "hidden-mailbox"]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in secrets:
            assert secret not in html, (url, secret)
    record = json.dumps([e.content() for e in Entry.objects.all()], ensure_ascii=False)
    for secret in secrets:
        assert secret not in record


def test_an_organization_counted_without_its_name_appears_only_in_the_count(client):
    statement = make_statement()
    sign_on(client, statement, name_en="Kesh Malek", name_ar="", listing="counted")
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Kesh Malek" not in page
    assert "<strong>1</strong> organization has signed." in page
    assert "1 organization is counted without its name" in page
    entry = Entry.objects.get(action="approved")
    assert "name" not in entry.data and "organization" not in entry.data
