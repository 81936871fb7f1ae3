"""The admin as organizers read it: in Arabic when they choose it (a switch, not the browser's
language), every label of ours translated, dates as written in Syria, and what waits for a
decision counted on its first page."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from tadamun.api.models import ApiToken
from tadamun.audit import models as audit
from tadamun.signatures.models import Notice, SignOn
from tadamun.statements.models import DemandUpdate, Membership
from tests.factories import make_statement
from tests.signatures.helpers import sign_on

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")
# Apps whose labels are not ours: Django's users and groups (translated by Django) and the
# task queue's results, which only superusers see.
NOT_OURS = {"auth", "django_tasks_database"}


class Labels(HTMLParser):
    """The texts of a page that come from code, not data: column headings, field labels,
    fieldset and inline headings, the site's name (not the heading naming the object)."""

    WHERE = {"label", "legend", "h2", "caption"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str, str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            attrs = dict(attrs)
            self.open.append((tag, attrs.get("class") or "", attrs.get("id") or ""))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        text = data.strip()
        if not text or not re.search("[A-Za-z]{2}", text):
            return
        tags = [tag for tag, _class, _id in self.open]
        if tags[-2:] == ["div", "h2"] and self.open[-2][2] == "content":
            return  # the object's own name
        heading = "thead" in tags and "th" in tags
        named = any(id_ == "site-name" for _tag, _class, id_ in self.open)
        if heading or named or self.WHERE & set(tags):
            self.found.append(text)


def english_labels(html: str) -> list[str]:
    parser = Labels()
    parser.feed(html)
    return [text for text in parser.found if not ARABIC.search(text)]


@pytest.fixture
def everything(client):
    statement = make_statement(strike_day=True)
    sign_on(client, statement)
    signon = SignOn.objects.latest("pk")
    signon.confirm()
    signon.approve()
    DemandUpdate.objects.create(demand=statement.demands.first(), status="met", note={"en": "x"})
    Notice.objects.create(statement=statement, kind="strike")
    audit.log(None, "checked", statement)
    ApiToken.objects.create(
        coalition=statement.coalition, name="website", prefix="abc", key_hash="x" * 64
    )
    return statement


def test_every_label_the_admin_shows_for_our_models_is_arabic_in_arabic(everything, client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    client.cookies["django_language"] = "ar"
    pages = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label in NOT_OURS:
            continue
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        obj = model._default_manager.first()
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    untranslated = {}
    for page in pages:
        response = client.get(page)
        if response.status_code == 403:  # nobody adds it
            continue
        assert response.status_code == 200, page
        for text in english_labels(response.content.decode()):
            untranslated.setdefault(text, page)
    assert untranslated == {}


def test_the_task_queue_is_named_in_each_language(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    assert "Background tasks" in client.get("/admin/").content.decode()
    client.cookies["django_language"] = "ar"
    page = client.get("/admin/").content.decode()
    assert "المهام في الخلفية" in page and "Tasks Database Backend" not in page


def test_the_language_switch_sets_the_admin_language_both_ways(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get("/admin/statements/statement/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert '<html lang="en"' in html
    assert 'action="/i18n/setlang/"' in html and 'value="ar"' in html
    switched = client.post(
        "/i18n/setlang/",
        {"language": "ar", "next": "/admin/statements/statement/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert switched.status_code == 302 and switched["Location"] == "/admin/statements/statement/"
    assert switched.cookies["django_language"].value == "ar"
    # The browser still asks for English: the choice wins.
    html = client.get("/admin/statements/statement/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ar" dir="rtl"' in html and 'value="en"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="en"' in html


def test_the_switch_is_on_the_sign_in_page_too(client):
    # The admin signs in at the desk's page (tadamun/admin.py), in the admin's language.
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert page.redirect_chain[-1][0].startswith("/en/desk/sign-in/")
    html = page.content.decode()
    assert 'action="/i18n/setlang/"' in html and 'lang="ar"' in html
    assert 'name="next" value="/en/desk/sign-in/?next=%2Fadmin%2F"' in html


def test_the_switch_goes_back_only_to_this_site(client):
    response = client.post(
        "/i18n/setlang/", {"language": "ar", "next": "https://evil.example/admin/"}
    )
    assert response["Location"] == "/"


def test_arabic_admin_dates_are_written_as_in_syria(client):
    statement = make_statement()
    sign_on(client, statement)
    signon = SignOn.objects.latest("pk")
    SignOn.objects.filter(pk=signon.pk).update(
        created_at=datetime.datetime(2026, 11, 25, 14, 30, tzinfo=datetime.UTC)
    )
    client.force_login(User.objects.create_superuser("root", password="x"))
    client.cookies["django_language"] = "ar"
    page = client.get(f"/admin/signatures/signon/{signon.pk}/change/").content.decode()
    assert "25 تشرين الثاني 2026" in page
    assert "نوفمبر" not in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/admin/signatures/signon/{signon.pk}/change/").content.decode()
    assert "Nov. 25, 2026" in page


def test_the_admin_calendar_names_the_months_as_in_syria(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    client.cookies["django_language"] = "ar"
    catalogue = client.get("/admin/jsi18n/").content.decode()
    # The catalogue is JavaScript with its non-ASCII letters escaped, as json writes them.
    assert json.dumps("كانون الأول")[1:-1] in catalogue
    assert json.dumps("ديسمبر")[1:-1] not in catalogue


def test_the_admin_index_counts_what_waits_for_each_organizer(client):
    statement, other = make_statement(), make_statement()
    for n, where in enumerate((statement, statement, other)):
        sign_on(client, where, contact_email=f"rima{n}@example.org", name_en=f"Org {n}")
        SignOn.objects.latest("pk").confirm()
    moderator = User.objects.create_user("moderator", password="x", is_staff=True)
    Membership.objects.create(user=moderator, coalition=statement.coalition, role="moderator")
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    Membership.objects.create(user=editor, coalition=statement.coalition, role="editor")

    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get("/admin/").content.decode()
    assert "3 sign-ons wait for your decision." in page
    assert "/admin/signatures/signon/?status=pending" in page
    client.force_login(moderator)
    assert "2 sign-ons wait for your decision." in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert "wait for your decision" not in client.get("/admin/").content.decode()


def test_the_counts_are_never_changed_by_hand(client):
    statement = make_statement()
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get(f"/admin/statements/tally/{statement.tally.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert "field-organizations" in page and "field-generation" not in page


@pytest.mark.parametrize(
    "term", ["أسرى", "المعتقلين", "detainees"], ids=["arabic", "arabic-2", "english"]
)
def test_the_demand_box_finds_a_demand_by_words_of_either_language(admin_client, term):
    """The demand update's autocomplete searches each language's text: a search in the whole
    stored text found no Arabic on SQLite, which keeps it escaped there."""
    statement = make_statement()
    demand = statement.demands.create(
        text={"ar": "الإفراج عن الأسرى والمعتقلين", "en": "Free the detainees"}, position=9
    )
    found = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "statements",
            "model_name": "demandupdate",
            "field_name": "demand",
            "term": term,
        },
    ).json()
    assert str(demand.pk) in [result["id"] for result in found["results"]]
    nothing = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "statements",
            "model_name": "demandupdate",
            "field_name": "demand",
            "term": "لا شيء هنا",
        },
    ).json()
    assert nothing["results"] == []


def test_the_organizer_account_pages_are_arabic_in_arabic(client):
    """Django's own user pages, whose Arabic catalogue lacks a few sentences: ours has them."""
    root = User.objects.create_superuser("root", password="x")
    client.force_login(root)
    client.cookies["django_language"] = "ar"
    for page in ["/admin/auth/user/add/", f"/admin/auth/user/{root.pk}/change/"]:
        html = client.get(page).content.decode()
        content = html[html.index('id="content"') :]
        visible = re.sub(r"<script.*?</script>|<[^>]+>", "\n", content, flags=re.S)
        english = [
            line.strip()
            for line in visible.splitlines()
            # A sentence or a label in Latin letters (not a user name or a hash's parts).
            if re.search(r"[A-Za-z]+[ -][A-Za-z]+", line) and not ARABIC.search(line)
        ]
        assert english == [], page
