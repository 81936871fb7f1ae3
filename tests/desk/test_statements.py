"""The statement side of the desk through the test client: coalitions, writing, preview,
publishing, strike days, demand updates, news, the statement's page, and who may do what."""

import datetime
import re

import pytest
from django.contrib.auth.models import User

from tadamun.audit.models import Event
from tadamun.signatures.imports import import_signatories
from tadamun.signatures.models import Notice, SignOn
from tadamun.statements.models import (
    Coalition,
    Demand,
    DemandUpdate,
    Membership,
    Statement,
    StrikeDay,
    Update,
)
from tests.factories import make_coalition, make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db


def member(coalition, role: str, name: str | None = None) -> User:
    user = User.objects.create_user(
        name or f"{role}-{coalition.pk}", password="a-long-password-1", is_staff=True
    )
    Membership.objects.create(user=user, coalition=coalition, role=role)
    return user


def statement_form(**overrides) -> dict:
    """What a person sends from the writing page: two languages, two demands, one blank row."""
    data = {
        "kind": "strike",
        "languages": ["ar", "en"],
        "authoritative_language": "ar",
        "title_ar": "يوم إضراب من أجل حلب",
        "title_en": "A day of strike for Aleppo",
        "body_ar": "نعلن الإضراب.",
        "body_en": "We declare a strike.",
        "slug": "",
        "demands-TOTAL_FORMS": "3",
        "demands-INITIAL_FORMS": "0",
        "demands-0-text_ar": "وقف القصف",
        "demands-0-text_en": "Stop the bombing",
        "demands-0-position": "",
        "demands-1-text_ar": "ممرات آمنة",
        "demands-1-text_en": "Safe corridors",
        "demands-1-position": "",
        "demands-2-text_ar": "",
        "demands-2-text_en": "",
        "demands-2-position": "",
        "then": "preview",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_form(statement: Statement, **overrides) -> dict:
    """The writing page of an existing statement, sent back as it was shown."""
    demands = list(statement.demands.order_by("position", "pk"))
    data = {
        "kind": statement.kind,
        "languages": statement.languages,
        "authoritative_language": statement.authoritative_language,
        "title_ar": statement.title.get("ar", ""),
        "title_en": statement.title.get("en", ""),
        "body_ar": statement.body.get("ar", ""),
        "body_en": statement.body.get("en", ""),
        "demands-TOTAL_FORMS": str(len(demands) + 1),
        "demands-INITIAL_FORMS": str(len(demands)),
        "then": "stay",
    }
    if statement.current_version_id is None:
        data["slug"] = statement.slug
    for n, demand in enumerate(demands):
        data[f"demands-{n}-id"] = str(demand.pk)
        data[f"demands-{n}-position"] = str(demand.position)
        for code in ("ar", "en"):
            data[f"demands-{n}-text_{code}"] = demand.text.get(code, "")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text_of(response) -> str:
    """The page as a person reads it: the text, without tags and attribute values."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# Coalitions -------------------------------------------------------------------------------------


def test_a_superuser_creates_a_coalition_and_becomes_its_owner(admin_client, admin_user):
    response = admin_client.post(
        "/en/desk/coalitions/new/",
        {
            "name_ar": "تحالف المجتمع المدني",
            "name_en": "Civil Society Coalition",
            "website": "civil-coalition.org",
            "slug": "",
        },
    )
    coalition = Coalition.objects.get(slug="civil-society-coalition")
    assert response.status_code == 302
    assert response["Location"] == f"/en/desk/#coalition-{coalition.pk}"
    assert coalition.name == {"ar": "تحالف المجتمع المدني", "en": "Civil Society Coalition"}
    assert coalition.website == "https://civil-coalition.org"
    assert Membership.objects.get(coalition=coalition, user=admin_user).role == "owner"
    page = admin_client.get(response["Location"]).content.decode()
    assert "Civil Society Coalition" in page and "you are its owner" in page


def test_a_coalition_named_only_in_arabic_still_gets_a_web_address(admin_client):
    make_coalition(slug="coalition")
    admin_client.post("/ar/desk/coalitions/new/", {"name_ar": "تحالف حلب", "name_en": ""})
    coalition = Coalition.objects.get(name__ar="تحالف حلب")
    assert coalition.slug == "coalition-2"
    assert coalition.name == {"ar": "تحالف حلب"}


def test_a_coalition_without_a_name_is_refused_in_arabic_and_nothing_is_created(admin_client):
    response = admin_client.post(
        "/ar/desk/coalitions/new/", {"name_ar": " ", "name_en": "", "website": "not a site"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "لم يُحفظ شيء" in page
    assert "يُرجى ذكر اسم التحالف بلغة واحدة على الأقل." in page
    assert Coalition.objects.count() == 0


def test_a_web_address_that_is_malformed_or_taken_is_refused_in_plain_words(admin_client):
    make_coalition(slug="taken")
    response = admin_client.post(
        "/en/desk/coalitions/new/", {"name_en": "Coalition", "slug": "Aleppo Now!"}
    )
    text = text_of(response)
    assert "Use only Latin letters, digits and hyphens, for example aleppo-now." in text
    assert "slug" not in text.lower()
    response = admin_client.post("/ar/desk/coalitions/new/", {"name_en": "C", "slug": "taken"})
    assert "هذا الرابط مستخدم من قبل: يُرجى اختيار غيره." in text_of(response)
    assert Coalition.objects.count() == 1


def test_an_organizer_who_is_not_a_superuser_cannot_create_a_coalition(client):
    client.force_login(member(make_coalition(), "owner"))
    assert client.get("/en/desk/coalitions/new/").status_code == 403
    client.post("/en/desk/coalitions/new/", {"name_en": "Shadow Coalition"})
    assert not Coalition.objects.filter(slug="shadow-coalition").exists()


# Writing ---------------------------------------------------------------------------------------


def test_the_writing_page_sets_the_two_languages_side_by_side_with_checkboxes(client):
    coalition = make_coalition()
    client.force_login(member(coalition, "editor"))
    response = client.get(f"/ar/desk/coalitions/{coalition.pk}/statements/new/")
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<fieldset class="language" lang="ar" dir="rtl">', page)
    assert re.search(r'<fieldset class="language" lang="en" dir="ltr">', page)
    assert re.search(r'<textarea name="body_ar"[^>]*rows="14"', page)
    assert re.search(r'<input type="checkbox" name="languages" value="ar"', page)
    assert re.search(r'<input type="checkbox" name="languages" value="en"', page)
    assert "JSON" not in page and "slug" not in text_of(response).lower()
    # Three empty demand rows for a new statement.
    assert 'name="demands-TOTAL_FORMS" value="3"' in page


def test_an_editor_writes_a_bilingual_statement_with_demands(client):
    coalition = make_coalition()
    client.force_login(member(coalition, "editor"))
    response = client.post(f"/en/desk/coalitions/{coalition.pk}/statements/new/", statement_form())
    statement = Statement.objects.get(coalition=coalition)
    assert response.status_code == 302
    assert response["Location"] == f"/en/desk/statements/{statement.pk}/preview/"
    assert statement.slug == "a-day-of-strike-for-aleppo"
    assert statement.kind == "strike" and statement.status == "draft"
    assert statement.languages == ["ar", "en"]
    assert statement.title == {"ar": "يوم إضراب من أجل حلب", "en": "A day of strike for Aleppo"}
    assert [d.text["en"] for d in statement.demands.order_by("position")] == [
        "Stop the bombing",
        "Safe corridors",
    ]
    assert statement.current_version is None
    assert Event.objects.filter(action="created statement").count() == 1


def test_a_text_missing_in_a_ticked_language_is_refused_in_arabic_and_nothing_is_saved(client):
    coalition = make_coalition()
    client.force_login(member(coalition, "editor"))
    response = client.post(
        f"/ar/desk/coalitions/{coalition.pk}/statements/new/",
        statement_form(body_en="", **{"demands-1-text_ar": ""}),
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "لم يُحفظ شيء" in text
    assert "يُرجى كتابة النص بالإنجليزية، أو إلغاء اختيار الإنجليزية." in text
    assert "يُرجى كتابة هذا المطلب بالعربية أيضًا، أو اختيار «حذف هذا المطلب»." in text
    assert not Statement.objects.exists() and not Demand.objects.exists()
    # What was typed is still there, to correct.
    assert "يوم إضراب من أجل حلب" in response.content.decode()
    assert "Safe corridors" in response.content.decode()


def test_an_unticked_language_needs_no_text_but_the_authoritative_one_must_be_ticked(client):
    coalition = make_coalition()
    client.force_login(member(coalition, "editor"))
    response = client.post(
        f"/en/desk/coalitions/{coalition.pk}/statements/new/",
        statement_form(languages=["en"], title_ar="", body_ar=""),
    )
    assert "The authoritative language must be one of its languages." in text_of(response)
    assert not Statement.objects.exists()
    client.post(
        f"/en/desk/coalitions/{coalition.pk}/statements/new/",
        statement_form(
            languages=["en"],
            authoritative_language="en",
            title_ar="",
            body_ar="",
            **{"demands-0-text_ar": "", "demands-1-text_ar": ""},
        ),
    )
    assert Statement.objects.get().languages == ["en"]


def test_demands_are_reordered_changed_and_removed_on_the_same_page(client):
    statement = make_statement(published=False, demands=3)
    first, second, third = statement.demands.order_by("position")
    client.force_login(member(statement.coalition, "owner"))
    response = client.post(
        f"/en/desk/statements/{statement.pk}/edit/",
        edit_form(
            statement,
            **{
                "demands-0-position": "3",
                "demands-1-remove": "on",
                "demands-2-position": "1",
                "demands-2-text_en": "Demand three, sharpened",
                "demands-3-text_ar": "مطلب جديد",
                "demands-3-text_en": "A new demand",
            },
        ),
    )
    assert response.status_code == 302
    assert [d.text["en"] for d in statement.demands.order_by("position")] == [
        "Demand three, sharpened",
        "Demand 1",
        "A new demand",
    ]
    assert [d.position for d in statement.demands.order_by("position")] == [1, 2, 3]
    assert not Demand.objects.filter(pk=second.pk).exists()


def test_a_demand_with_dated_updates_is_not_removed(client):
    statement = make_statement(demands=2)
    demand = statement.demands.order_by("position").first()
    DemandUpdate.objects.create(demand=demand, status="met", note={"en": "Done."})
    client.force_login(member(statement.coalition, "editor"))
    response = client.post(
        f"/en/desk/statements/{statement.pk}/edit/",
        edit_form(statement, **{"demands-0-remove": "on", "title_en": "Changed title"}),
    )
    assert response.status_code == 200
    assert "This demand has dated updates on the public record, so it stays." in text_of(response)
    assert Demand.objects.filter(pk=demand.pk).exists()
    statement.refresh_from_db()
    assert statement.title["en"] != "Changed title"


def test_a_demand_from_another_statement_cannot_be_edited_through_this_one(client):
    statement = make_statement(published=False)
    other = make_statement(published=False)
    foreign = other.demands.first()
    client.force_login(member(statement.coalition, "editor"))
    data = edit_form(statement)
    data["demands-0-id"] = str(foreign.pk)
    data["demands-0-text_en"] = "Hijacked"
    response = client.post(f"/en/desk/statements/{statement.pk}/edit/", data)
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.text["en"] == "Demand 1"


def test_a_published_statement_keeps_its_web_address(client):
    statement = make_statement()
    client.force_login(member(statement.coalition, "editor"))
    page = client.get(f"/en/desk/statements/{statement.pk}/edit/").content.decode()
    assert 'name="slug"' not in page
    client.post(f"/en/desk/statements/{statement.pk}/edit/", edit_form(statement, slug="moved"))
    statement.refresh_from_db()
    assert statement.slug != "moved"


# Preview and publishing -----------------------------------------------------------------------


def test_the_preview_shows_the_working_copy_in_each_language_before_readers_see_it(client):
    statement = make_statement()
    statement.title = {"ar": "عنوان جديد", "en": "A new title"}
    statement.save()
    client.force_login(member(statement.coalition, "editor"))
    english = client.get(f"/en/desk/statements/{statement.pk}/preview/")
    arabic = client.get(f"/ar/desk/statements/{statement.pk}/preview/")
    assert "<h1>A new title</h1>" in english.content.decode()
    assert "<h1>عنوان جديد</h1>" in arabic.content.decode()
    assert "This is how the statement will look as version 2." in text_of(english)
    assert 'href="/ar/desk/statements/' in english.content.decode()
    assert (
        english["Cache-Control"].startswith("max-age=0") or "no-cache" in english["Cache-Control"]
    )
    # Readers still see version 1.
    public = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert "A new title" not in public


def test_publishing_the_first_version_can_open_the_statement_for_signing(client):
    statement = make_statement(published=False, status=Statement.Status.DRAFT)
    client.force_login(member(statement.coalition, "editor"))
    preview = client.get(f"/en/desk/statements/{statement.pk}/preview/").content.decode()
    expected = re.search(r'name="expected" value="([0-9a-f]{64})"', preview).group(1)
    response = client.post(
        f"/en/desk/statements/{statement.pk}/publish/", {"expected": expected, "open": "1"}
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.current_version.number == 1
    assert statement.status == "open"
    page = client.get(response["Location"])
    assert "Version 1 is published and open for signing." in text_of(page)
    assert client.get(f"/en/statements/{statement.slug}/").status_code == 200


def test_publishing_a_changed_text_shows_the_difference_and_warns_signatories_first(client):
    statement = make_statement()
    import_signatories(statement, [{"en": "Kesh Malek"}, {"en": "Baytna"}])
    sign_on(client, statement)
    signon = SignOn.objects.with_address(statement, "rima@baytnasyria.org").get()
    signon.confirm()
    signon.approve()
    statement.body = {"ar": "ندعو إلى السلام الآن.", "en": "We call for peace now."}
    statement.save()
    client.force_login(member(statement.coalition, "editor"))
    page = client.get(f"/en/desk/statements/{statement.pk}/publish/")
    html = page.content.decode()
    assert "We call for <del>peace.</del><ins>peace now.</ins>" in html
    assert "ندعو إلى <del>السلام.</del><ins>السلام الآن.</ins>" in html
    text = text_of(page)
    assert "The 1 organization that has signed will be asked by e-mail to confirm" in text
    assert "2 organizations on the list were imported" in text
    assert statement.versions.count() == 1  # nothing published by looking
    expected = re.search(r'name="expected" value="([0-9a-f]{64})"', html).group(1)
    response = client.post(f"/en/desk/statements/{statement.pk}/publish/", {"expected": expected})
    statement.refresh_from_db()
    assert statement.current_version.number == 2
    assert Notice.objects.filter(statement=statement, kind="reconfirm").count() == 1
    assert "Version 2 is published." in text_of(client.get(response["Location"]))
    arabic = client.get(f"/ar/desk/statements/{statement.pk}/publish/")
    assert arabic.status_code == 302  # nothing left to publish


def test_a_language_whose_text_did_not_change_is_folded_away_before_publishing(client):
    statement = make_statement()
    statement.body = {**statement.body, "en": "We call for peace now."}
    statement.save()
    client.force_login(member(statement.coalition, "editor"))
    html = client.get(f"/en/desk/statements/{statement.pk}/publish/").content.decode()
    arabic = html[html.index('id="diff-ar"') :]
    english = html[html.index('id="diff-en"') : html.index('id="diff-ar"')]
    assert "<details><summary>No change in this language. Show the text</summary>" in arabic
    assert "<details>" not in english and "<ins>" in english


def test_publishing_refuses_a_text_that_changed_after_it_was_shown(client):
    statement = make_statement()
    statement.body = {"ar": "نص ثان", "en": "Second text"}
    statement.save()
    client.force_login(member(statement.coalition, "editor"))
    html = client.get(f"/ar/desk/statements/{statement.pk}/publish/").content.decode()
    expected = re.search(r'name="expected" value="([0-9a-f]{64})"', html).group(1)
    statement.body = {"ar": "نص ثالث", "en": "Third text"}
    statement.save()
    response = client.post(f"/ar/desk/statements/{statement.pk}/publish/", {"expected": expected})
    assert response.status_code == 200
    assert "تغيّر النص منذ أن اطّلعتم عليه" in text_of(response)
    assert statement.versions.count() == 1
    assert "<ins>ثالث</ins>" in response.content.decode()


def test_opening_closing_and_reopening_a_statement(client):
    statement = make_statement(status=Statement.Status.DRAFT)
    client.force_login(member(statement.coalition, "owner"))
    url = f"/en/desk/statements/{statement.pk}/status/"
    client.post(url, {"status": "open"})
    statement.refresh_from_db()
    assert statement.status == "open"
    client.post(url, {"status": "closed"})
    statement.refresh_from_db()
    assert statement.status == "closed" and statement.closed_at is not None
    client.post(url, {"status": "open"})
    statement.refresh_from_db()
    assert statement.status == "open" and statement.closed_at is None
    client.post(url, {"status": "draft"})
    statement.refresh_from_db()
    assert statement.status == "open"


def test_a_statement_without_a_published_text_cannot_be_opened(client):
    statement = make_statement(published=False, status=Statement.Status.DRAFT)
    client.force_login(member(statement.coalition, "owner"))
    response = client.post(
        f"/en/desk/statements/{statement.pk}/status/", {"status": "open"}, follow=True
    )
    assert "Publish the text before opening it for signing." in text_of(response)
    statement.refresh_from_db()
    assert statement.status == "draft"


# Strike days ----------------------------------------------------------------------------------


def test_a_strike_day_is_added_with_a_time_zone_named_by_its_city(client):
    statement = make_statement()
    client.force_login(member(statement.coalition, "editor"))
    form = client.get(f"/ar/desk/statements/{statement.pk}/strike-days/new/")
    assert "دمشق" in text_of(form)
    assert "Asia/Damascus" not in text_of(form)
    assert re.search(r'<select name="time_zone"', form.content.decode())
    response = client.post(
        f"/ar/desk/statements/{statement.pk}/strike-days/new/",
        {
            "date": "2030-12-08",
            "start_time": "09:00",
            "end_time": "17:00",
            "time_zone": "Europe/Istanbul",
        },
    )
    assert response.status_code == 302
    day = StrikeDay.objects.get(statement=statement)
    assert (day.date, day.start_time, day.time_zone) == (
        datetime.date(2030, 12, 8),
        datetime.time(9),
        "Europe/Istanbul",
    )
    page = text_of(client.get(response["Location"]))
    assert "إسطنبول" in page and "كانون الأول" in page and "Europe/Istanbul" not in page


def test_readers_see_a_strike_day_at_once_and_no_more_once_removed(client):
    statement = make_statement()
    public = f"/en/statements/{statement.slug}/"
    assert "Strike day:" not in text_of(client.get(public))  # and now the page is cached
    client.force_login(member(statement.coalition, "editor"))
    client.post(
        f"/en/desk/statements/{statement.pk}/strike-days/new/",
        {"date": "2030-12-08", "start_time": "09:00", "end_time": "17:00", "time_zone": "UTC"},
    )
    assert "Strike day:" in text_of(client.get(public))
    day = statement.strike_days.get()
    client.post(f"/en/desk/statements/{statement.pk}/strike-days/{day.pk}/remove/")
    assert "Strike day:" not in text_of(client.get(public))


def test_a_strike_day_with_a_bad_date_or_a_typed_zone_is_refused_and_nothing_saved(client):
    statement = make_statement()
    client.force_login(member(statement.coalition, "editor"))
    response = client.post(
        f"/ar/desk/statements/{statement.pk}/strike-days/new/",
        {"date": "31/31/2030", "start_time": "9", "end_time": "", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "يُرجى ذكر التاريخ باليوم والشهر والسنة." in text
    assert "لم يُحفظ شيء" in text
    assert not StrikeDay.objects.exists()


def test_a_strike_day_is_changed_and_removed(client):
    statement = make_statement(strike_day=True)
    day = statement.strike_days.get()
    client.force_login(member(statement.coalition, "editor"))
    client.post(
        f"/en/desk/statements/{statement.pk}/strike-days/{day.pk}/",
        {"date": "2030-01-16", "start_time": "08:00", "end_time": "12:00", "time_zone": "UTC"},
    )
    day.refresh_from_db()
    assert (day.date, day.end_time, day.time_zone) == (
        datetime.date(2030, 1, 16),
        datetime.time(12),
        "UTC",
    )
    assert (
        client.get(f"/en/desk/statements/{statement.pk}/strike-days/{day.pk}/remove/").status_code
        == 405
    )
    client.post(f"/en/desk/statements/{statement.pk}/strike-days/{day.pk}/remove/")
    assert not StrikeDay.objects.exists()


def test_the_statement_page_says_which_organizations_pause_work(client):
    statement = make_statement(strike_day=True)
    import_signatories(statement, [{"en": "Kesh Malek"}], pauses_work=True)
    import_signatories(statement, [{"en": "Baytna"}])
    client.force_login(member(statement.coalition, "moderator"))
    text = text_of(client.get(f"/en/desk/statements/{statement.pk}/"))
    assert "1 signatory organization pauses work." in text
    assert "Kesh Malek" in text and "Baytna" not in text


# Demands and news ------------------------------------------------------------------------------


def test_a_demand_update_with_sources_changes_the_status_shown_to_readers(client):
    statement = make_statement()
    demand = statement.demands.order_by("position").first()
    client.force_login(member(statement.coalition, "editor"))
    url = f"/en/desk/statements/{statement.pk}/demands/{demand.pk}/update/"
    assert re.search(r'value="open"[^>]* checked', client.get(url).content.decode())
    response = client.post(
        url,
        {
            "status": "partly_met",
            "date": "2030-02-01",
            "note_en": "Two corridors opened.",
            "note_ar": "فُتح ممران.",
            "sources": "https://news.example.org/corridors\n\n  https://un.example.org/report  ",
        },
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == "partly_met"
    update = demand.updates.get()
    assert update.source_list() == [
        "https://news.example.org/corridors",
        "https://un.example.org/report",
    ]
    assert update.date == datetime.date(2030, 2, 1)
    public = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    assert "فُتح ممران." in public and "https://un.example.org/report" in public


def test_a_demand_update_with_a_source_that_is_not_a_link_is_refused_and_nothing_changes(client):
    statement = make_statement()
    demand = statement.demands.first()
    client.force_login(member(statement.coalition, "editor"))
    response = client.post(
        f"/ar/desk/statements/{statement.pk}/demands/{demand.pk}/update/",
        {"status": "met", "date": "2030-02-01", "note_ar": "تحقق.", "sources": "bbc dot com"},
    )
    assert response.status_code == 200
    assert "ليس عنوانًا على الويب" in text_of(response) and "bbc dot com" in text_of(response)
    demand.refresh_from_db()
    assert demand.status == "open" and not demand.updates.exists()


def test_a_demand_update_needs_a_note(client):
    statement = make_statement()
    demand = statement.demands.first()
    client.force_login(member(statement.coalition, "editor"))
    response = client.post(
        f"/en/desk/statements/{statement.pk}/demands/{demand.pk}/update/",
        {"status": "met", "date": "2030-02-01"},
    )
    assert "Say what happened, in at least one language." in text_of(response)
    assert not DemandUpdate.objects.exists()


def test_news_is_posted_on_the_timeline(client):
    statement = make_statement()
    client.force_login(member(statement.coalition, "editor"))
    response = client.post(
        f"/en/desk/statements/{statement.pk}/news/new/",
        {"title_en": "Sixty organizations", "body_en": "Thank you.", "title_ar": "", "body_ar": ""},
    )
    assert response.status_code == 302
    assert Update.objects.get(statement=statement).title == {"en": "Sixty organizations"}
    assert (
        "Sixty organizations"
        in client.get(f"/en/statements/{statement.slug}/timeline/").content.decode()
    )


def test_news_with_a_title_and_no_text_is_refused(client):
    statement = make_statement()
    client.force_login(member(statement.coalition, "editor"))
    response = client.post(
        f"/ar/desk/statements/{statement.pk}/news/new/", {"title_ar": "عنوان", "body_ar": ""}
    )
    assert "يُرجى كتابة العنوان والنص كليهما بالعربية، أو عدم كتابة أيٍّ منهما." in text_of(response)
    assert not Update.objects.exists()


# The statement's page ---------------------------------------------------------------------------


def test_the_statement_page_gives_the_embed_code_and_the_press_kit(client, settings):
    settings.SITE_URL = "https://tadamun.example.org"
    statement = make_statement()
    sign_on(client, statement)
    SignOn.objects.get().confirm()
    client.force_login(member(statement.coalition, "moderator"))
    response = client.get(f"/ar/desk/statements/{statement.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f"&lt;iframe src=&quot;https://tadamun.example.org/ar/statements/{statement.slug}/card/"
        in html
    )
    assert (
        f"&lt;img src=&quot;https://tadamun.example.org/en/statements/{statement.slug}/badge.svg"
        in html
    )
    assert "readonly" in html
    assert re.search(r'<script src="/static/desk\.(\w+\.)?js" defer>', html)
    assert f'href="/ar/statements/{statement.slug}/press/"' in html
    assert f'href="/ar/statements/{statement.slug}/press.pdf"' in html
    assert "طلب توقيع واحد ينتظر قرارًا." in text_of(response)


def test_the_dashboard_links_each_statement_to_its_page(client):
    statement = make_statement()
    client.force_login(member(statement.coalition, "moderator"))
    page = client.get("/en/desk/").content.decode()
    assert f'href="/en/desk/statements/{statement.pk}/"' in page
    assert f"/en/desk/coalitions/{statement.coalition_id}/statements/new/" not in page


# Who may do what --------------------------------------------------------------------------------

EDITING = [
    ("get", "edit/"),
    ("get", "publish/"),
    ("post", "status/"),
    ("get", "strike-days/new/"),
    ("get", "news/new/"),
]


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owners_and_editors_may_edit(client, role):
    statement = make_statement(strike_day=True)
    statement.body = {"ar": "نص", "en": "Text"}
    statement.save()
    client.force_login(member(statement.coalition, role))
    for method, rest in EDITING:
        response = getattr(client, method)(f"/en/desk/statements/{statement.pk}/{rest}")
        assert response.status_code in (200, 302), rest


def test_a_moderator_reads_the_statement_but_changes_nothing(client):
    statement = make_statement(strike_day=True)
    demand = statement.demands.first()
    day = statement.strike_days.get()
    client.force_login(member(statement.coalition, "moderator"))
    page = client.get(f"/en/desk/statements/{statement.pk}/")
    assert page.status_code == 200
    assert "/edit/" not in page.content.decode()
    assert client.get(f"/en/desk/statements/{statement.pk}/preview/").status_code == 200
    refused = [
        client.get(f"/ar/desk/statements/{statement.pk}/edit/"),
        client.post(f"/en/desk/statements/{statement.pk}/edit/", edit_form(statement)),
        client.post(f"/en/desk/statements/{statement.pk}/publish/", {"expected": "x"}),
        client.post(f"/en/desk/statements/{statement.pk}/status/", {"status": "closed"}),
        client.post(
            f"/en/desk/statements/{statement.pk}/strike-days/{day.pk}/remove/",
        ),
        client.post(
            f"/en/desk/statements/{statement.pk}/demands/{demand.pk}/update/",
            {"status": "met", "date": "2030-01-01", "note_en": "x"},
        ),
        client.post(
            f"/en/desk/statements/{statement.pk}/news/new/", {"title_en": "x", "body_en": "y"}
        ),
        client.get(f"/en/desk/coalitions/{statement.coalition_id}/statements/new/"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert "يمكنكم قراءة هذا، لا تغييره" in text_of(refused[0])
    statement.refresh_from_db()
    assert statement.status == "open" and statement.versions.count() == 1
    assert StrikeDay.objects.filter(pk=day.pk).exists()
    assert not DemandUpdate.objects.exists() and not Update.objects.exists()


def test_another_coalitions_statement_answers_not_found(client):
    statement = make_statement(strike_day=True)
    day = statement.strike_days.get()
    demand = statement.demands.first()
    client.force_login(member(make_coalition(), "owner", name="stranger"))
    urls = [
        "",
        "edit/",
        "preview/",
        "publish/",
        f"strike-days/{day.pk}/",
        f"demands/{demand.pk}/update/",
        "news/new/",
    ]
    for rest in urls:
        assert client.get(f"/en/desk/statements/{statement.pk}/{rest}").status_code == 404, rest
    assert (
        client.post(f"/en/desk/statements/{statement.pk}/status/", {"status": "closed"}).status_code
        == 404
    )
    assert (
        client.get(f"/en/desk/coalitions/{statement.coalition_id}/statements/new/").status_code
        == 404
    )
    statement.refresh_from_db()
    assert statement.status == "open"


def test_a_strike_day_of_another_statement_answers_not_found(client):
    mine = make_statement()
    theirs = make_statement(strike_day=True)
    client.force_login(member(mine.coalition, "owner"))
    day = theirs.strike_days.get()
    assert client.get(f"/en/desk/statements/{mine.pk}/strike-days/{day.pk}/").status_code == 404
    client.post(f"/en/desk/statements/{mine.pk}/strike-days/{day.pk}/remove/")
    assert StrikeDay.objects.filter(pk=day.pk).exists()


def test_a_stranger_is_sent_to_sign_in(client):
    statement = make_statement()
    response = client.get(f"/ar/desk/statements/{statement.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/desk/sign-in/")
