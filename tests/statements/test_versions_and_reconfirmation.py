import pytest

from tadamun.record.models import Entry
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Notice, SignOn
from tadamun.statements.diff import diff, diff_html
from tests.factories import make_statement
from tests.signatures.helpers import links_in, path_of, sign_on

pytestmark = pytest.mark.django_db


def test_the_difference_is_word_by_word():
    assert diff("we call for peace now", "we call for justice now") == [
        ("same", "we call for "),
        ("del", "peace"),
        ("ins", "justice"),
        ("same", " now"),
    ]


def test_an_arabic_difference_keeps_the_words_whole_and_escapes_html():
    html = diff_html("نطالب بممر آمن", "نطالب بممر آمن فوراً <script>")
    assert html == "نطالب بممر آمن<ins> فوراً &lt;script&gt;</ins>"


def new_version(statement, en="A changed text.", ar="نص معدل."):
    statement.body = {"en": en, "ar": ar}
    statement.save()
    return statement.publish()


def test_the_page_links_earlier_versions_and_the_diff_shows_each_language(client):
    statement = make_statement()
    new_version(statement)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Version 2" in page and f"/en/statements/{statement.slug}/versions/" in page
    versions = client.get(f"/en/statements/{statement.slug}/versions/").content.decode()
    assert f"/en/statements/{statement.slug}/diff/1/2/" in versions
    old = client.get(f"/en/statements/{statement.slug}/versions/1/").content.decode()
    assert "We call for peace." in old
    diff_page = client.get(f"/ar/statements/{statement.slug}/diff/1/2/").content.decode()
    assert '<section class="diff" lang="ar" dir="rtl">' in diff_page
    assert '<section class="diff" lang="en" dir="ltr">' in diff_page
    assert "<del>السلام.</del>" in diff_page or "<del>" in diff_page
    assert "<ins>changed text.</ins>" in diff_page or "<ins>" in diff_page
    assert client.get(f"/en/statements/{statement.slug}/diff/1/9/").status_code == 404


def test_a_reconfirmation_round(client, smtp, run_worker, admin_client):
    statement = make_statement()
    sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    import_signatories(statement, [{"en": "Kesh Malek"}])  # imported: no address to write to
    run_worker()
    smtp.messages.clear()

    new_version(statement)
    notice = Notice.objects.get(kind="reconfirm")
    run_worker()
    [message] = smtp.wait_for(1)
    assert "reconfirm" in message["Subject"]
    notice.refresh_from_db()
    assert notice.finished_at is not None
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "(signed version 1)" in page

    links = [path_of(u) for u in links_in(message)]
    assert f"/en/statements/{statement.slug}/diff/1/2/" in links
    reconfirm = next(link for link in links if "/reconfirm/" in link)
    assert 'method="post"' in client.get(reconfirm).content.decode()
    signon.refresh_from_db()
    assert signon.version.number == 1
    client.post(reconfirm)
    signon.refresh_from_db()
    assert signon.version.number == 2
    assert Entry.objects.filter(action="reconfirmed", data__signature=signon.reference).exists()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert page.count("(signed version 1)") == 1  # Kesh Malek, imported, did not reconfirm
    # The used link does nothing more.
    assert "Nothing more is needed" in client.post(reconfirm).content.decode()


def test_after_reconfirmation_is_closed_the_link_no_longer_moves_the_signature(
    client, smtp, run_worker, admin_client
):
    statement = make_statement()
    sign_on(client, statement)
    signon = SignOn.objects.get()
    signon.confirm()
    signon.approve()
    new_version(statement)
    run_worker()
    message = [m for m in smtp.messages if "reconfirm" in m["Subject"]][0]
    admin_client.post(
        "/admin/statements/statement/",
        {"action": "close_reconfirmation", "_selected_action": [statement.pk]},
    )
    reconfirm = next(path_of(u) for u in links_in(message) if "/reconfirm/" in u)
    assert client.post(reconfirm).status_code == 410
    signon.refresh_from_db()
    assert signon.version.number == 1
