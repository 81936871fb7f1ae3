"""Individual pledges: joining, confirming, one per mailbox, withdrawing, forgetting the address."""

import re

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from tadamun.signatures.models import Pledge
from tests.factories import make_statement, pledge_form, release_next, true_counts, with_categories
from tests.signatures.helpers import links_in, path_of

pytestmark = pytest.mark.django_db


def link(message, part):
    return next(path_of(u) for u in links_in(message) if part in u)


@pytest.fixture
def statement():
    statement = make_statement(strike_day=True)
    with_categories(statement)
    return statement


def join(client, statement, language="en", **form):
    form.setdefault("category", statement.pledge_categories.first())
    return client.post(f"/{language}/statements/{statement.slug}/join/", pledge_form(**form))


def test_the_join_form_asks_for_nothing_more_than_it_needs(client, statement):
    page = client.get(f"/en/statements/{statement.slug}/join/").content.decode()
    names = set(re.findall(r'name="([a-z_]+)"', page)) - {"csrfmiddlewaretoken", "viewport"}
    assert names == {
        "email",
        "category",
        "city",
        "appearance",
        "public_name",
        "work_email",
        "joins_strike",
        "wants_updates",
        "homepage",
    }
    counted = re.search(r'<input[^>]*value="counted"[^>]*>', page).group(0)
    assert "checked" in counted
    assert 'name="wants_updates"' in page and 'name="wants_updates" checked' not in page


def test_joining_confirming_and_being_counted(client, statement, smtp, run_worker):
    response = join(client, statement, joins_strike="on")
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.status == "unconfirmed" and true_counts(statement)["total"][""] == 0
    run_worker()
    [message] = smtp.wait_for(1)
    confirm = link(message, "/pledge/confirm/")
    assert client.get(confirm).status_code == 200
    assert Pledge.objects.get().status == "unconfirmed"
    client.post(confirm)
    pledge.refresh_from_db()
    assert pledge.status == "confirmed"
    assert pledge.email == "" and len(pledge.email_hash) == 64
    counted = true_counts(statement)
    assert (counted["total"][""], counted["striking"][""]) == (1, 1)
    # Counted, but shown only from the next scheduled release, with noise.
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "have joined." not in page and "The first figures come on" in page
    total = release_next(statement).figures["total"]
    page = client.get(statement.get_absolute_url()).content.decode()
    joined = "person has" if total == 1 else "people have"
    assert f"<strong>{total}</strong> {joined} joined." in page


def test_after_confirmation_without_consent_no_address_remains_anywhere(
    client, statement, smtp, run_worker
):
    join(client, statement, email="Nour.Secret+strike@Gmail.com", work_email="nour@unagency.org")
    run_worker()
    messages = smtp.wait_for(2)
    client.post(link(smtp.to("Nour.Secret+strike@Gmail.com")[0], "/pledge/confirm/"))
    client.post(link(smtp.to("nour@unagency.org")[0], "/pledge/work/"))
    assert len(messages) == 2
    needles = ["nour.secret", "noursecret", "nour@unagency", "Nour.Secret"]
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                    continue
                column = connection.ops.quote_name(field.column)
                cast = f"CAST({column} AS TEXT)"
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                        f"WHERE LOWER({cast}) LIKE %s",
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append((table, field.column, needle))
    assert found == []
    pledge = Pledge.objects.get()
    assert pledge.work_domain == "unagency.org" and pledge.work_verified


def test_one_mailbox_is_one_pledge_and_nobody_learns_it_pledged(
    client, statement, smtp, run_worker
):
    first = join(client, statement, email="nour.haddad@gmail.com")
    second = join(client, statement, email="NourHaddad+again@googlemail.com")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    run_worker()
    for message in smtp.wait_for(2):
        client.post(link(message, "/pledge/confirm/"))
    assert Pledge.objects.filter(status="confirmed").count() == 1
    assert Pledge.objects.filter(status="duplicate").count() == 1
    assert true_counts(statement)["total"][""] == 1


def test_the_database_refuses_two_counted_pledges_from_one_address(statement):
    Pledge.objects.create(statement=statement, email_hash="a" * 64, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(statement=statement, email_hash="a" * 64, status="confirmed")


def test_asking_for_updates_keeps_the_address_until_the_person_stops_them(
    client, statement, smtp, run_worker
):
    join(client, statement, wants_updates="on")
    run_worker()
    message = smtp.wait_for(1)[0]
    client.post(link(message, "/pledge/confirm/"))
    pledge = Pledge.objects.get()
    assert pledge.email == "nour@example.org"
    client.post(link(message, "/pledge/unsubscribe/"))
    pledge.refresh_from_db()
    assert pledge.email == "" and not pledge.wants_updates and pledge.status == "confirmed"


def test_withdrawing_drops_the_counts(client, statement, smtp, run_worker):
    join(client, statement, joins_strike="on")
    run_worker()
    message = smtp.wait_for(1)[0]
    client.post(link(message, "/pledge/confirm/"))
    assert true_counts(statement)["total"][""] == 1
    withdraw = link(message, "/pledge/withdraw/")
    assert 'method="post"' in client.get(withdraw).content.decode()
    client.post(withdraw)
    counted = true_counts(statement)
    assert (counted["total"][""], counted["striking"][""]) == (0, 0)
    assert Pledge.objects.get().status == "withdrawn"
    assert "no longer counted" in client.post(withdraw).content.decode()


def test_the_honeypot_rejects_silently(client, statement):
    response = join(client, statement, homepage="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"/en/statements/{statement.slug}/join/sent/"
    assert Pledge.objects.count() == 0


def test_a_public_name_is_required_only_when_chosen_and_then_listed(client, statement):
    response = join(client, statement, appearance="named")
    assert response.status_code == 400
    assert "Please give the name to show" in response.content.decode()
    assert Pledge.objects.count() == 0
    join(client, statement, appearance="named", public_name="Abu Karam")
    pledge = Pledge.objects.get()
    pledge.confirm()
    url = statement.get_absolute_url()
    # The name comes with the next release, like every figure...
    assert "Abu Karam" not in client.get(url).content.decode()
    release_next(statement)
    assert "<bdi>Abu Karam</bdi> · INGO staff" in client.get(url).content.decode()
    # ...and goes at once when the person withdraws.
    pledge.withdraw()
    assert "Abu Karam" not in client.get(url).content.decode()


def test_bad_input_changes_nothing_and_says_why(client, statement):
    response = join(client, statement, email="not an address", category="999999")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Select a valid choice." in page
    assert 'value="Gaziantep"' in page
    assert Pledge.objects.count() == 0
