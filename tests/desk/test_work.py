"""Long work from the desk: an import of a signatory list and a strike-day notice, each with a
page that shows its progress and its result whenever it is loaded again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from tadamun.desk.models import ImportJob
from tadamun.signatures.models import Delivery, Notice, SignOn
from tests.desk.helpers import organizer, waiting
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def importing(statement, language="en") -> str:
    return f"/{language}/desk/statements/{statement.pk}/import/"


def test_a_pasted_list_is_checked_then_imported_with_its_result_shown(client):
    statement = make_statement()
    client.force_login(organizer(statement.coalition))
    response = client.post(
        importing(statement),
        {
            "names": "1. Kesh Malek\n2. Baytna Syria\n3. Kesh Malek\n4. بيتنا سوريا",
            "country": "Syria",
        },
    )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/en/desk/imports/{job.pk}/"
    check = client.get(response["Location"]).content.decode()
    assert "The list has 4 organizations." in check
    assert "Twice in the list" in check
    assert not SignOn.objects.exists()  # nothing imported before the confirmation
    done = client.post(f"/en/desk/imports/{job.pk}/confirm/", {"confirm": "1"})
    assert done["Location"] == f"/en/desk/imports/{job.pk}/"
    page = client.get(done["Location"]).content.decode()
    assert "4 of 4 names gone through" in page and "3 organizations added" in page
    assert 'http-equiv="refresh"' not in page
    assert SignOn.objects.filter(statement=statement, imported=True).count() == 3
    assert statement.tally.organizations == 3
    # Confirming again imports nothing more.
    client.post(f"/en/desk/imports/{job.pk}/confirm/", {"confirm": "1"})
    assert SignOn.objects.count() == 3


def test_a_long_list_is_checked_and_imported_by_the_worker_and_its_page_follows_it(
    client, run_worker, settings
):
    settings.IMPORT_INLINE_NAMES = 10
    settings.IMPORT_BATCH = 7
    statement = make_statement()
    client.force_login(organizer(statement.coalition))
    names = "\n".join(f"Relief Group Number {n:03}" for n in range(30))
    client.post(importing(statement), {"names": names})
    job = ImportJob.objects.get()
    page = client.get(f"/en/desk/imports/{job.pk}/").content.decode()
    assert "Checking the list…" in page and "30 names are compared" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    # Not importable before the check is done.
    client.post(f"/en/desk/imports/{job.pk}/confirm/", {"confirm": "1"})
    run_worker()
    assert not SignOn.objects.exists()
    page = client.get(f"/en/desk/imports/{job.pk}/").content.decode()
    assert "The list has 30 organizations." in page and 'http-equiv="refresh"' not in page
    client.post(f"/en/desk/imports/{job.pk}/confirm/", {"confirm": "1"})
    page = client.get(f"/en/desk/imports/{job.pk}/").content.decode()
    assert "Importing…" in page and "0 of 30 names gone through" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    page = client.get(f"/en/desk/imports/{job.pk}/").content.decode()
    assert "30 of 30 names gone through" in page and "30 organizations added" in page
    assert 'http-equiv="refresh"' not in page
    assert SignOn.objects.filter(statement=statement).count() == 30
    assert statement.tally.organizations == 30


def test_a_csv_file_is_read_by_its_name_column(client):
    statement = make_statement()
    client.force_login(organizer(statement.coalition))
    upload = SimpleUploadedFile(
        "list.csv", "name,city\nKesh Malek,Aleppo\nبيتنا سوريا,Idlib\n".encode(), "text/csv"
    )
    client.post(importing(statement), {"file": upload})
    assert [row["names"] for row in ImportJob.objects.get().rows] == [
        {"en": "Kesh Malek"},
        {"ar": "بيتنا سوريا"},
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"names": "  \n# only a comment\n"}, "No organization name was found in what you gave."),
        (
            {"file": SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "text/csv")},
            "The file is not a CSV file in UTF-8",
        ),
        ({"names": "x" * 300}, "A name is longer than 200 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, data, message):
    statement = make_statement()
    client.force_login(organizer(statement.coalition))
    response = client.post(importing(statement), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not SignOn.objects.exists()


def test_the_check_compares_only_with_this_coalitions_organizations(client):
    statement = make_statement()
    elsewhere = make_statement()
    waiting(elsewhere, name="Kesh Malek", listing=SignOn.Listing.COUNTED).approve()
    waiting(make_statement(coalition=statement.coalition), name="Violet Organization").approve()
    client.force_login(organizer(statement.coalition))
    client.post(importing(statement), {"names": "Kesh Malik\nViolet Organisation"})
    page = client.get(f"/en/desk/imports/{ImportJob.objects.get().pk}/").content.decode()
    assert "Violet Organization" in page  # flagged as like one of this coalition's
    assert "Kesh Malek" not in page  # another coalition's counted signatory stays unseen


def test_another_coalitions_import_and_editors_get_nothing(client):
    statement = make_statement()
    client.force_login(organizer(statement.coalition))
    client.post(importing(statement), {"names": "Kesh Malek"})
    job = ImportJob.objects.get()
    client.logout()
    client.force_login(organizer(make_statement().coalition, name="stranger"))
    assert client.get(f"/en/desk/imports/{job.pk}/").status_code == 404
    assert client.post(f"/en/desk/imports/{job.pk}/confirm/", {"confirm": "1"}).status_code == 404
    assert client.get(importing(statement)).status_code == 404
    client.force_login(organizer(statement.coalition, role="editor", name="editor"))
    assert client.get(f"/en/desk/imports/{job.pk}/").status_code == 404
    assert not SignOn.objects.exists()


def notices(statement, language="en") -> str:
    return f"/{language}/desk/statements/{statement.pk}/notices/"


def signatories(statement, count: int):
    for n in range(count):
        waiting(statement, name=f"Organization {n}", email=f"org{n}@example.org").approve()


def test_the_strike_notice_is_written_sent_and_followed_to_the_end(
    client, smtp, run_worker, settings
):
    settings.NOTICE_BATCH = 2
    settings.NOTICE_PAUSE_SECONDS = 0
    statement = make_statement(strike_day=True)
    signatories(statement, 5)
    client.force_login(organizer(statement.coalition, role="editor"))
    form = client.get(notices(statement)).content.decode()
    assert "Send to 5 recipients now" in form
    response = client.post(
        notices(statement),
        {"message_en": "Stay home and post the statement.", "message_ar": "ابقوا في بيوتكم."},
    )
    notice = Notice.objects.get()
    assert response["Location"] == f"/en/desk/notices/{notice.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Sending…" in page and "Sent 0 of 5." in page
    assert '<meta http-equiv="refresh" content="3">' in page
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert "Sent 5 of 5." in page and 'http-equiv="refresh"' not in page
    messages = [m for m in smtp.wait_for(10) if m["Subject"].startswith("Strike day:")]
    assert len(messages) == 5  # besides the 5 approval messages
    bodies = [m.get_body(("plain",)).get_content() for m in messages]
    assert all("Stay home and post the statement." in body for body in bodies)
    assert Delivery.objects.filter(status="sent").count() == 5


def test_a_second_notice_is_refused_while_the_first_is_sending(client):
    statement = make_statement(strike_day=True)
    signatories(statement, 2)
    client.force_login(organizer(statement.coalition, role="owner"))
    client.post(notices(statement), {})
    response = client.post(notices(statement), {})
    assert response.status_code == 400
    assert "A strike-day notice is still being sent" in response.content.decode()
    assert Notice.objects.count() == 1


def test_no_notice_without_a_strike_day(client):
    statement = make_statement()
    client.force_login(organizer(statement.coalition, role="owner"))
    response = client.post(notices(statement), {})
    assert response.status_code == 400
    assert "The statement has no strike day yet" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_too_long_message_is_refused(client):
    statement = make_statement(strike_day=True)
    client.force_login(organizer(statement.coalition, role="owner"))
    response = client.post(notices(statement), {"message_en": "x" * 2001})
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert not Notice.objects.exists()


def test_moderators_follow_notices_but_do_not_send_them(client):
    statement = make_statement(strike_day=True)
    client.force_login(organizer(statement.coalition, role="moderator"))
    assert (
        "Owners and editors of the coalition send"
        in client.get(notices(statement)).content.decode()
    )
    assert client.post(notices(statement), {}).status_code == 403
    assert not Notice.objects.exists()


def test_another_coalitions_notices_are_not_found(client):
    statement = make_statement(strike_day=True)
    notice = Notice.objects.create(statement=statement, kind=Notice.Kind.STRIKE)
    client.force_login(organizer(make_statement().coalition, role="owner"))
    assert client.get(notices(statement)).status_code == 404
    assert client.get(f"/en/desk/notices/{notice.pk}/").status_code == 404
    assert client.post(notices(statement), {}).status_code == 404
    assert Notice.objects.count() == 1


def test_midway_the_notice_counts_each_recipient_once(client, smtp):
    statement = make_statement(strike_day=True)
    signatories(statement, 5)
    notice = Notice.send_strike(statement, {"en": "Stay home."})
    notice.send_batch(2)
    progress = notice.progress()
    assert (progress["total"], progress["sent"], progress["waiting"]) == (5, 2, 3)
    assert not progress["finished"]
    client.force_login(organizer(statement.coalition))
    assert "Sent 2 of 5." in client.get(f"/en/desk/notices/{notice.pk}/").content.decode()
