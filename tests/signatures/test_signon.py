"""The whole path of an organization's sign-on, through the test client and a real SMTP server."""

import pytest
from django.core import mail  # noqa: F401  (locmem is not used: messages go over SMTP)

from tadamun.record.models import Entry
from tadamun.signatures.models import SignOn
from tadamun.statements.models import Tally
from tests.factories import make_statement
from tests.signatures.helpers import approve, confirm_link, sign_on, withdraw_link

pytestmark = pytest.mark.django_db


def test_the_form_is_reached_from_a_button_on_the_statement_page(client):
    statement = make_statement()
    page = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert f'href="/en/statements/{statement.slug}/sign/"' in page
    form = client.get(f"/en/statements/{statement.slug}/sign/")
    assert form.status_code == 200
    for field in ("name_ar", "name_en", "country", "contact_email", "contact_role", "consent"):
        assert f'name="{field}"' in form.content.decode()


def test_the_strike_question_is_asked_only_when_there_is_a_strike_day(client):
    without = make_statement()
    with_day = make_statement(strike_day=True)
    assert (
        'name="pauses_work"'
        not in client.get(f"/en/statements/{without.slug}/sign/").content.decode()
    )
    assert (
        'name="pauses_work"' in client.get(f"/en/statements/{with_day.slug}/sign/").content.decode()
    )


def test_from_the_form_to_the_public_list(client, admin_client, smtp, run_worker):
    statement = make_statement(strike_day=True)
    response = sign_on(client, statement, pauses_work="on")
    assert response.status_code == 302
    assert response["Location"] == f"/en/statements/{statement.slug}/sign/sent/"
    signon = SignOn.objects.get()
    assert signon.status == SignOn.Status.UNCONFIRMED
    assert "Baytna Syria" not in client.get(statement.get_absolute_url()).content.decode()

    run_worker()
    [message] = smtp.wait_for(1)
    assert message["To"] == "rima@baytnasyria.org"
    assert "Statement" in message["Subject"]
    link = confirm_link(message)

    # Opening the link (as a mail scanner does) changes nothing; the button does.
    page = client.get(link)
    assert page.status_code == 200 and '<form method="post"' in page.content.decode()
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.UNCONFIRMED
    assert client.post(link).status_code == 200
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
    assert "Baytna Syria" not in client.get(statement.get_absolute_url()).content.decode()

    queue = admin_client.get("/admin/signatures/signon/").content.decode()
    assert "Baytna Syria" in queue
    approve(admin_client, signon)
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.APPROVED
    assert signon.version == statement.current_version
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "<bdi>Baytna Syria</bdi>" in page
    assert "<strong>1</strong> organization has signed." in page
    assert "1 pauses work on the strike day." in page
    entry = Entry.objects.filter(action="approved").get()
    # The record commits to the name and shows it beside the entry while it stands.
    assert entry.data["version"] == 1 and "name" not in entry.data
    assert entry.disclosure.detail["name"]["en"] == "Baytna Syria"

    run_worker()
    approved = smtp.wait_for(2)[1]
    assert "approved" in approved["Subject"]
    assert withdraw_link(approved)


def test_a_rejected_submission_stores_nothing_and_keeps_what_was_typed(client):
    statement = make_statement()
    response = sign_on(client, statement, contact_email="not-an-address", consent=None)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Please confirm that you may sign" in page
    assert 'value="Baytna Syria"' in page and 'value="not-an-address"' in page
    assert SignOn.objects.count() == 0


def test_errors_are_in_the_language_of_the_page(client):
    statement = make_statement()
    response = sign_on(client, statement, language="ar", name_en="", name_ar="")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "Please give the organization" not in page
    assert SignOn.objects.count() == 0


def test_a_name_of_punctuation_or_invisible_characters_is_refused(client):
    statement = make_statement()
    response = sign_on(client, statement, name_en="\u200f\u202e--..", name_ar="")
    assert response.status_code == 400
    assert SignOn.objects.count() == 0


def test_signing_a_closed_statement_is_refused(client):
    statement = make_statement(status="closed")
    assert sign_on(client, statement).status_code == 410
    assert SignOn.objects.count() == 0


def test_messages_are_in_the_signers_language_with_plain_text_html_and_title(
    client, smtp, run_worker
):
    statement = make_statement()
    sign_on(client, statement, language="ar")
    run_worker()
    [message] = smtp.wait_for(1)
    title = statement.current_version.text("ar")["title"]
    assert title in message["Subject"]
    html = message.get_body(preferencelist=("html",)).get_content()
    plain = message.get_body(preferencelist=("plain",)).get_content()
    assert 'lang="ar" dir="rtl"' in html and title in html
    assert title in plain
    assert "/ar/confirm/" in plain


def test_confirming_twice_is_harmless(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    run_worker()
    link = confirm_link(smtp.wait_for(1)[0])
    client.post(link)
    confirmed_at = SignOn.objects.get().confirmed_at
    again = client.post(link)
    assert again.status_code == 200
    assert "already confirmed" in again.content.decode()
    signon = SignOn.objects.get()
    assert signon.status == SignOn.Status.PENDING and signon.confirmed_at == confirmed_at


def test_an_expired_link_does_not_confirm(client, smtp, run_worker, settings):
    statement = make_statement()
    sign_on(client, statement)
    run_worker()
    link = confirm_link(smtp.wait_for(1)[0])
    settings.CONFIRMATION_HOURS = 0
    response = client.post(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert SignOn.objects.get().status == SignOn.Status.UNCONFIRMED


def test_a_tampered_link_does_not_confirm(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    run_worker()
    link = confirm_link(smtp.wait_for(1)[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (forged, "x" * 40, token[: len(token) // 2]):
        assert client.post(f"/en/confirm/{bad}/").status_code == 404
    assert SignOn.objects.get().status == SignOn.Status.UNCONFIRMED


def test_a_link_made_for_one_signature_never_opens_another(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    sign_on(client, statement, name_en="Kesh Malek", name_ar="", contact_email="a@keshmalek.org")
    first, second = SignOn.objects.order_by("pk")
    # A genuine token carrying the second signature's id with the first one's nonce.
    from tadamun.signatures import tokens

    crossed = tokens.make("signon-confirm", second.pk, first.confirm_nonce)
    assert client.post(f"/en/confirm/{crossed}/").status_code == 404
    withdraw_as_confirm = first.token("signon-withdraw")
    assert client.post(f"/en/confirm/{withdraw_as_confirm}/").status_code == 404
    assert set(SignOn.objects.values_list("status", flat=True)) == {"unconfirmed"}


def test_a_second_sign_on_for_a_signed_organization_gets_the_same_answer(client, admin_client):
    statement = make_statement()
    first = sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    approve(admin_client, signon)
    second = sign_on(client, statement, contact_email="someone@else.org")
    fresh = sign_on(client, statement, name_en="Kesh Malek", name_ar="", contact_email="k@k.org")
    assert first.status_code == second.status_code == fresh.status_code == 302
    assert first["Location"] == second["Location"] == fresh["Location"]
    sent_page = client.get(second["Location"]).content.decode()
    assert "already" not in sent_page
    # The organization still counts once, and the duplicate waits flagged for organizers.
    assert Tally.objects.get(statement=statement).organizations == 1
    duplicate = SignOn.objects.with_address(statement, "someone@else.org").get()
    duplicate.confirm()
    queue = admin_client.get("/admin/signatures/signon/").content.decode()
    assert "already signed this statement" in queue
    approve(admin_client, duplicate)
    duplicate.refresh_from_db()
    assert duplicate.status == SignOn.Status.PENDING
    assert Tally.objects.get(statement=statement).organizations == 1


def test_the_database_refuses_a_second_approved_signature(client):
    from django.db import IntegrityError, transaction

    statement = make_statement()
    sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOn.objects.create(
            statement=statement,
            organization=signon.organization,
            country="Syria",
            status=SignOn.Status.APPROVED,
        )


def test_the_same_name_in_another_spelling_is_the_same_organization(client):
    statement = make_statement()
    sign_on(client, statement)
    first = SignOn.objects.get()
    first.confirm()
    first.approve()
    sign_on(client, statement, name_en="  BAYTNA-syria ", name_ar="", contact_email="x@y.org")
    second = SignOn.objects.latest("pk")
    assert second.organization_id == first.organization_id
    assert second.claim


def test_two_submissions_of_a_new_name_do_not_share_an_organization_before_approval(client):
    statement = make_statement()
    sign_on(client, statement, name_ar="عملاء المخابرات", country="Elsewhere")
    sign_on(client, statement, contact_email="x@y.org")
    first, second = SignOn.objects.order_by("pk")
    # The first to type a name does not decide who that name is.
    assert first.organization_id != second.organization_id
    assert not first.claim and not second.claim


def test_resending_the_link_is_limited(client, smtp, run_worker, settings):
    settings.RESEND_SPACING_MINUTES = 0
    statement = make_statement()
    sign_on(client, statement)
    url = f"/en/statements/{statement.slug}/sign/resend/"
    answers = set()
    for _ in range(6):
        response = client.post(url, {"email": "rima@baytnasyria.org"})
        answers.add(response.content)
    unknown = client.post(url, {"email": "nobody@nowhere.org"})
    answers.add(unknown.content)
    # The same page whether the address is known, resent or over the limit.
    assert len(answers) == 1
    run_worker()
    assert len(smtp.wait_for(settings.MAX_CONFIRMATION_MAILS)) == settings.MAX_CONFIRMATION_MAILS
    run_worker()
    assert len(smtp.messages) == settings.MAX_CONFIRMATION_MAILS


def test_resending_waits_between_messages(client, smtp, run_worker):
    statement = make_statement()
    sign_on(client, statement)
    client.post(f"/en/statements/{statement.slug}/sign/resend/", {"email": "rima@baytnasyria.org"})
    run_worker()
    assert len(smtp.wait_for(1)) == 1
    assert SignOn.objects.get().mails_sent == 1


def test_the_form_page_marks_fields_with_errors_for_screen_readers(client):
    statement = make_statement()
    page = sign_on(client, statement, contact_email="bad").content.decode()
    assert 'id="id_contact_email_error"' in page
    assert 'aria-invalid="true"' in page
