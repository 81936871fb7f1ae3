"""Every form, inline and action of the admin, used by a real browser as a person would: every
required field and both languages of a translated text filled, Save clicked, the success
message read and the saved values found again on reload; as the superuser and as each coalition
role that may use it; with the admin in English and in Arabic.

The lists below are checked against the admin's registry: a model, inline or action registered
in the admin without a browser test here fails the suite (the tests at the end, which need no
browser). Models that nobody may add or change are listed as read-only, with the reason, and
their pages are checked to offer no add and no save."""

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import admin as django_admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from playwright.sync_api import expect

from tests.browser.conftest import AXE, ORGANIZER
from tests.browser.test_accessibility import assert_accessible

LANGUAGES = ["en", "ar"]
TEAM_PASSWORD = "a-long-test-password-for-a-colleague"
browser = pytest.mark.browser


# The live site's database ----------------------------------------------------------------


class Backstage:
    """Python run in the live site's database, to make the state a test starts from the way the
    app makes it (a sign-on submitted and confirmed, a coalition with its members). One
    process for the session, so that each step costs milliseconds, not a Django start."""

    LOOP = textwrap.dedent(
        """
        import json, sys, traceback
        import django
        django.setup()
        for line in sys.stdin:
            space = {}
            try:
                exec(json.loads(line), space)
                print(json.dumps({"result": space.get("result")}, default=str), flush=True)
            except Exception:
                print(json.dumps({"error": traceback.format_exc()}), flush=True)
        """
    )

    def __init__(self, site):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(site.logs),
            "DJANGO_SETTINGS_MODULE": "tadamun.settings",
            "DATA_DIR": str(site.logs),
            "STATIC_ROOT": str(site.logs / "static"),
            "SITE_URL": site.url,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.LOOP],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, code: str, **values):
        """Run `code` with `values` bound to names; what it assigns to `result` comes back."""
        given = "".join(f"{name} = {value!r}\n" for name, value in values.items())
        self.process.stdin.write(json.dumps(given + textwrap.dedent(code)) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise AssertionError(answer["error"])
        return answer["result"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def backstage(site):
    backstage = Backstage(site)
    yield backstage
    backstage.close()


@pytest.fixture(scope="session")
def team(backstage) -> dict:
    """A coalition of its own for these tests, its owner, editor and moderator (staff accounts
    with a role, as the README says to give one), and an open, published statement with a
    demand and a strike day."""
    return backstage.run(
        """
        import datetime
        from django.contrib.auth.models import User
        from tadamun.statements.models import (
            Coalition, Demand, Membership, Statement, StrikeDay,
        )
        coalition = Coalition.objects.create(
            slug="browser-coalition",
            name={"en": "Browser test coalition", "ar": "تحالف اختبار المتصفح"},
        )
        for role in ("owner", "editor", "moderator"):
            user = User.objects.create_user(f"browser-{role}", password=password, is_staff=True)
            Membership.objects.create(user=user, coalition=coalition, role=role)
        statement = Statement.objects.create(
            coalition=coalition,
            slug="browser-statement",
            kind="strike",
            status="open",
            title={"en": "Strike for the detainees", "ar": "إضراب من أجل المعتقلين"},
            body={"en": "We strike.", "ar": "نضرب عن العمل."},
        )
        demand = Demand.objects.create(
            statement=statement,
            position=1,
            text={"en": "Free the detainees", "ar": "أطلقوا سراح المعتقلين"},
        )
        StrikeDay.objects.create(statement=statement, date=datetime.date(2027, 1, 15))
        statement.publish()
        result = {
            "coalition": coalition.pk,
            "statement": statement.pk,
            "slug": statement.slug,
            "demand": demand.pk,
        }
        """,
        password=TEAM_PASSWORD,
    )


@dataclass
class World:
    """What a test of a form needs besides the page: the site, its database and the team."""

    site: object
    backstage: Backstage
    team: dict

    def unique(self) -> int:
        return self.site.unique()

    def pending_signon(self, name: str, email: str = "", website: str = "") -> int:
        """A sign-on to the team's statement, submitted and confirmed: waiting for approval."""
        n = self.unique()
        return self.backstage.run(
            """
            from tadamun.signatures.models import SignOn
            from tadamun.statements.models import Statement
            signon = SignOn.submit(
                Statement.objects.get(slug=slug),
                {
                    "names": {"en": name},
                    "country": "Syria",
                    "contact_name": "Rima",
                    "contact_email": email,
                    "contact_role": "Director",
                    "listing": "named",
                    "website": website,
                },
                "en",
            )
            signon.confirm()
            result = signon.pk
            """,
            slug=self.team["slug"],
            name=name,
            email=email or f"director@signer{n}.example.org",
            website=website,
        )

    def approve(self, signon: int) -> None:
        """A moderator's approval, which makes a new organization known (its names keys)."""
        self.backstage.run(
            "from tadamun.signatures.models import SignOn\nSignOn.objects.get(pk=pk).approve()",
            pk=signon,
        )

    def staff(self, username: str) -> str:
        """An organizer's account without a role yet, as the administrator creates it."""
        self.backstage.run(
            """
            from django.contrib.auth.models import User
            User.objects.create_user(username, password=password, is_staff=True)
            """,
            username=username,
            password=TEAM_PASSWORD,
        )
        return username

    def exists(self, label: str, pk) -> bool:
        return self.backstage.run(
            "from django.apps import apps\n"
            "result = apps.get_model(label).objects.filter(pk=pk).exists()",
            label=label,
            pk=pk,
        )

    def value(self, label: str, pk, attribute: str):
        return self.backstage.run(
            "from django.apps import apps\n"
            "result = getattr(apps.get_model(label).objects.get(pk=pk), attribute)",
            label=label,
            pk=pk,
            attribute=attribute,
        )


@pytest.fixture
def world(site, backstage, team) -> World:
    return World(site, backstage, team)


# The admin in a browser ------------------------------------------------------------------


class Pick:
    """A choice in an autocomplete box (select2): type `search`, take the first result."""

    def __init__(self, search: str, value: str):
        self.search = search
        self.value = value


class Admin:
    """A signed-in page on the admin, and what a person does there."""

    def __init__(self, site, page, role: str, language: str):
        self.site = site
        self.page = page
        self.role = role
        self.language = language
        self.failures: list[str] = []
        page.on(
            "response",
            lambda response: (
                self.failures.append(f"{response.status} {response.url}")
                if response.status >= 500
                else None
            ),
        )

    def url(self, path: str) -> str:
        if path.startswith("http"):
            return path
        return self.site.url + (path if path.startswith("/admin/") else "/admin/" + path)

    def open(self, path: str) -> None:
        response = self.page.goto(self.url(path))
        assert response.status == 200, f"{path}: {response.status}"
        self.assert_in_language()

    def assert_in_language(self) -> None:
        assert self.page.locator("html").get_attribute("lang") == self.language
        expected = "rtl" if self.language == "ar" else "ltr"
        assert self.page.locator("html").get_attribute("dir") == expected
        assert self.failures == [], self.failures

    def field(self, name: str):
        return self.page.locator(f'[name="{name}"]:not([type=hidden])')

    def fill(self, values: dict) -> None:
        for name, value in values.items():
            if isinstance(value, Pick):
                self.page.locator(f'select[name="{name}"] + .select2').click()
                with self.page.expect_response(lambda r: "term=" in r.url):
                    self.page.locator(".select2-search__field").fill(value.search)
                results = self.page.locator(".select2-results__option:not(.loading-results)")
                results.first.click()
                # Other tests on the same live site may add choices with the same text: what
                # must come back after the save is the one the person took.
                value.value = self.page.locator(f'select[name="{name}"]').input_value()
            elif isinstance(value, list):
                boxes = self.field(name)
                for index in range(boxes.count()):
                    box = boxes.nth(index)
                    box.set_checked(box.get_attribute("value") in value)
            elif isinstance(value, bool):
                self.field(name).set_checked(value)
            elif self.field(name).evaluate("e => e.tagName") == "SELECT":
                self.field(name).select_option(value)
            else:
                self.field(name).fill(value)

    def check(self, path: str, values: dict) -> None:
        """The page at `path`, opened again, shows every value that was saved."""
        self.open(path)
        for name, value in values.items():
            if isinstance(value, Pick):
                assert self.page.locator(f'select[name="{name}"]').input_value() == value.value
            elif isinstance(value, list):
                boxes = self.field(name)
                checked = {
                    boxes.nth(i).get_attribute("value")
                    for i in range(boxes.count())
                    if boxes.nth(i).is_checked()
                }
                assert checked == set(value), (name, checked)
            elif isinstance(value, bool):
                assert self.field(name).is_checked() == value, name
            else:
                assert self.field(name).input_value() == value, name

    def add_row(self, prefix: str) -> int:
        """Click the inline's "Add another" link; the number of the new row."""
        total = self.page.locator(f'input[name="{prefix}-TOTAL_FORMS"]')
        row = int(total.input_value())
        self.page.locator(f"#{prefix}-group .add-row a").click()
        assert int(total.input_value()) == row + 1
        return row

    def submit(self, selector: str):
        with self.page.expect_navigation() as navigation:
            self.page.locator(selector).click()
        response = navigation.value
        assert response.status < 500, f"{response.status} after {selector}"
        return response

    def succeeded(self, response) -> None:
        """Saved: Django answered with a redirect, to a page with a success message and no
        error, in the chosen language."""
        errors = self.page.locator(".errornote, .errorlist")
        assert errors.count() == 0, errors.all_inner_texts()
        assert response.request.redirected_from is not None, "the form was not saved"
        expect(self.page.locator("ul.messagelist li.success")).not_to_have_count(0)
        self.assert_in_language()

    def succeeded_message(self) -> None:
        """An action ran: a success message, no error, in the chosen language."""
        errors = self.page.locator("ul.messagelist li.error, .errornote")
        assert errors.count() == 0, errors.all_inner_texts()
        expect(self.page.locator("ul.messagelist li.success")).not_to_have_count(0)
        self.assert_in_language()

    def save(self, button: str = "_save") -> str:
        """Click a save button and check it saved; the address of what was saved."""
        self.succeeded(self.submit(f'[name="{button}"]'))
        link = self.page.locator("ul.messagelist li.success a")
        return link.first.get_attribute("href") if link.count() else self.page.url

    def act(self, changelist: str, action: str, pks: list) -> None:
        """Tick rows of a change list and run one of its actions."""
        self.open(changelist)
        for pk in pks:
            self.page.locator(f'input[name=_selected_action][value="{pk}"]').check()
        self.page.locator("select[name=action]").select_option(action)
        self.submit("button[name=index]")

    def message(self, level: str = "success") -> str:
        return " ".join(self.page.locator(f"ul.messagelist li.{level}").all_inner_texts())


STATES: dict = {}


@pytest.fixture
def sign_in(site, browser, team):
    """Open the admin as `role` ("superuser" or a role in the team's coalition), with the
    admin in `language` (the language cookie its switch sets)."""
    contexts = []

    def sign_in(role: str, language: str) -> Admin:
        if role == "superuser":
            username, password = ORGANIZER
        else:
            username, password = f"browser-{role}", TEAM_PASSWORD
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, storage_state=STATES.get(username)
        )
        contexts.append(context)
        context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
        context.set_default_timeout(15_000)
        page = context.new_page()
        if username not in STATES:
            page.goto(site.url + "/admin/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("input[type=submit]")
            assert page.locator("#user-tools").count() == 1, f"{username} could not sign in"
            STATES[username] = context.storage_state()
        return Admin(site, page, role, language)

    yield sign_in
    for context in contexts:
        context.close()


# Forms: every model that can be added or changed ------------------------------------------


def coalition_form(admin: Admin, world: World) -> None:
    n = world.unique()
    if admin.role == "superuser":
        admin.open("statements/coalition/add/")
        values = {
            "name_en": f"Coalition {n}",
            "name_ar": f"تحالف {n}",
            "slug": f"coalition-{n}",
            "description_en": "Unions and associations of the north.",
            "description_ar": "نقابات وجمعيات الشمال.",
            "website": f"https://coalition{n}.example.org/",
        }
        admin.fill(values)
        row = admin.add_row("memberships")
        values |= {
            f"memberships-{row}-user": world.staff(f"founder-{n}"),
            f"memberships-{row}-role": "owner",
        }
        admin.fill(values)
        path = admin.save()
        admin.check(path, values)
    else:
        path = f"statements/coalition/{world.team['coalition']}/change/"
        admin.open(path)
    # Change it, and give a colleague a role: how the README says roles are given.
    changes = {
        "description_en": f"Unions, associations and syndicates ({n}).",
        "description_ar": f"نقابات وجمعيات ({n}).",
        "website": f"https://changed{n}.example.org/",
    }
    admin.fill(changes)
    row = admin.add_row("memberships")
    changes |= {
        f"memberships-{row}-user": world.staff(f"colleague-{n}"),
        f"memberships-{row}-role": "moderator",
    }
    admin.fill(changes)
    admin.save()
    admin.check(path, changes)


def statement_form(admin: Admin, world: World) -> None:
    n = world.unique()
    admin.open("statements/statement/add/")
    values = {
        "coalition": str(world.team["coalition"]),
        "slug": f"statement-{n}",
        "kind": "strike",
        "status": "draft",
        "languages": ["ar", "en"],
        "authoritative_language": "ar",
        "title_en": f"General strike {n}",
        "title_ar": f"إضراب عام {n}",
        "body_en": "We stop work for one day.\nEvery sector joins.",
        "body_ar": "نتوقف عن العمل يومًا واحدًا.\nتنضم كل القطاعات.",
    }
    admin.fill(values)
    demand, day, category, update = (
        admin.add_row(prefix)
        for prefix in ("demands", "strike_days", "pledge_categories", "updates")
    )
    values |= {
        f"demands-{demand}-position": "1",
        f"demands-{demand}-text_en": "Release every detainee",
        f"demands-{demand}-text_ar": "الإفراج عن كل المعتقلين",
        f"demands-{demand}-status": "open",
        f"strike_days-{day}-date": "2027-02-01",
        f"strike_days-{day}-start_time": "08:00:00",
        f"strike_days-{day}-end_time": "16:00:00",
        f"strike_days-{day}-time_zone": "Asia/Damascus",
        f"pledge_categories-{category}-position": "1",
        f"pledge_categories-{category}-name_en": "Teachers",
        f"pledge_categories-{category}-name_ar": "المعلمون",
        f"updates-{update}-published_at_0": "2026-11-20",
        f"updates-{update}-published_at_1": "09:30:00",
        f"updates-{update}-title_en": "The date is set",
        f"updates-{update}-title_ar": "تحدّد الموعد",
        f"updates-{update}-body_en": "The strike is on 1 February.",
        f"updates-{update}-body_ar": "الإضراب في الأول من شباط.",
    }
    admin.fill(values)
    path = admin.save()
    admin.check(path, values)

    # Change: a new title, a second demand, the strike day removed.
    changes = {"title_en": f"General strike {n}, second call", "status": "open"}
    admin.fill(changes)
    row = admin.add_row("demands")
    changes |= {
        f"demands-{row}-position": "2",
        f"demands-{row}-text_en": "Reopen the schools",
        f"demands-{row}-text_ar": "إعادة فتح المدارس",
    }
    admin.fill(changes)
    admin.fill({"strike_days-0-DELETE": True})
    admin.save()
    admin.check(path, changes)
    assert admin.field("strike_days-0-date").count() == 0


def demand_update_form(admin: Admin, world: World) -> None:
    n = world.unique()
    admin.open("statements/demandupdate/add/")
    values = {
        "demand": Pick("Free the detainees", str(world.team["demand"])),
        "date": "2026-11-21",
        "status": "partly_met",
        "note_en": f"Some were released ({n}).",
        "note_ar": f"أُفرج عن بعضهم ({n}).",
        "sources": "https://news.example.org/released\nhttps://news.example.org/lists",
    }
    admin.fill(values)
    path = admin.save()
    admin.check(path, values)
    changes = {"status": "met", "note_en": f"All were released ({n})."}
    admin.fill(changes)
    admin.save()
    admin.check(path, changes)


def demand_form(admin: Admin, world: World) -> None:
    n = world.unique()
    admin.open("statements/demand/add/")
    values = {
        "statement": str(world.team["statement"]),
        "position": "9",
        "text_en": f"Open the crossings ({n})",
        "text_ar": f"فتح المعابر ({n})",
    }
    admin.fill(values)
    path = admin.save()
    admin.check(path, values)
    changes = {"text_en": f"Open every crossing ({n})"}
    admin.fill(changes)
    admin.save()
    admin.check(path, changes)


def signon_form(admin: Admin, world: World) -> None:
    n = world.unique()
    pk = world.pending_signon(f"Relief Network {n}")
    path = f"signatures/signon/{pk}/change/"
    admin.open(path)
    changes = {
        "city": "Idlib",
        "website": f"https://relief{n}.example.org/",
        "listing": "counted",
        "pauses_work": True,
        "contact_role": "Coordinator",
    }
    admin.fill(changes)
    admin.save()
    admin.check(path, changes)


def organization_form(admin: Admin, world: World) -> None:
    n = world.unique()
    if admin.role == "superuser":
        admin.open("signatures/organization/add/")
        values = {
            "name_en": f"Civil Defence Team {n}",
            "name_ar": f"فريق الدفاع المدني {n}",
            "country": "Syria",
            "city": "Aleppo",
            "website": f"https://defence{n}.example.org/",
        }
        admin.fill(values)
        row = admin.add_row("names")
        admin.fill({f"names-{row}-name": f"CDT {n}"})
        path = admin.save()
        admin.check(path, values)
    else:
        # Organizations come from sign-ons: a moderator changes those that signed (and were
        # approved: until then their names are one submission's word, not spellings).
        signon = world.pending_signon(f"Civil Defence Team {n}")
        world.approve(signon)
        pk = world.value("signatures.signon", signon, "organization_id")
        path = f"signatures/organization/{pk}/change/"
        admin.open(path)
    names = admin.page.locator("#names-group input[name$=-name]")
    spellings = {names.nth(i).input_value() for i in range(names.count())}
    assert f"Civil Defence Team {n}" in spellings
    changes = {"city": "Azaz"}
    admin.fill(changes)
    row = admin.add_row("names")
    admin.fill({f"names-{row}-name": f"Civil Defense Team {n}"})
    admin.save()
    admin.check(path, changes)
    spellings = {names.nth(i).input_value() for i in range(names.count())}
    assert f"Civil Defense Team {n}" in spellings


def api_token_form(admin: Admin, world: World) -> None:
    n = world.unique()
    admin.open("api/apitoken/add/")
    admin.fill(
        {"coalition": str(world.team["coalition"]), "name": f"Website {n}", "role": "editor"}
    )
    admin.save()
    # The token, shown once.
    assert re.search(r"[A-Za-z0-9_-]{32,}", admin.message("warning"))
    # A token is created and revoked, never edited: its page shows it, with nothing to save.
    with admin.page.expect_navigation():
        admin.page.locator("#result_list a", has_text=f"Website {n}").click()
    admin.assert_in_language()
    assert admin.page.locator(".field-name .readonly").inner_text() == f"Website {n}"
    assert admin.page.locator("[name=_save]").count() == 0


def user_form(admin: Admin, world: World) -> None:
    n = world.unique()
    admin.open("auth/user/add/")
    password = f"a-long-password-for-{n}"
    admin.fill({"username": f"newcomer-{n}", "password1": password, "password2": password})
    path = admin.save()
    changes = {
        "first_name": "Rima",
        "last_name": "Haddad",
        "email": f"rima{n}@example.org",
        "is_staff": True,
    }
    admin.open(path)
    admin.fill(changes)
    admin.save()
    admin.check(path, changes)


def group_form(admin: Admin, world: World) -> None:
    n = world.unique()
    admin.open("auth/group/add/")
    admin.fill({"name": f"Maintainers {n}"})
    permissions = admin.field("permissions")
    value = permissions.locator("option").first.get_attribute("value")
    permissions.select_option([value])
    path = admin.save()
    admin.check(path, {"name": f"Maintainers {n}"})
    assert admin.field("permissions").evaluate("s => [...s.selectedOptions].map(o => o.value)") == [
        value
    ]
    admin.fill({"name": f"Maintainers {n} (renamed)"})
    admin.save()
    admin.check(path, {"name": f"Maintainers {n} (renamed)"})


@dataclass
class FormTest:
    run: Callable[[Admin, World], None]
    roles: tuple = ("superuser",)


# Every model in the admin that someone may add or change, with who may, and how it is tried.
FORMS = {
    "statements.coalition": FormTest(coalition_form, ("superuser", "owner")),
    "statements.statement": FormTest(statement_form, ("superuser", "owner", "editor")),
    "statements.demandupdate": FormTest(demand_update_form, ("superuser", "owner", "editor")),
    # Organizers write demands on the statement's page (its inline): only a superuser here.
    "statements.demand": FormTest(demand_form),
    # Sign-ons come from the public form: changed here, never added.
    "signatures.signon": FormTest(signon_form, ("superuser", "owner", "moderator")),
    "signatures.organization": FormTest(organization_form, ("superuser", "owner", "moderator")),
    "api.apitoken": FormTest(api_token_form, ("superuser", "owner")),
    "auth.user": FormTest(user_form),
    "auth.group": FormTest(group_form),
}

# Models nobody adds or changes in the admin, by design; their pages are read-only.
READ_ONLY = {
    "statements.version": "a published text is frozen: a change is published as a new version",
    "statements.tally": "the counts move with each approval, withdrawal and pledge, not by hand",
    "signatures.notice": "started by the statement's strike-day action and followed here",
    "record.entry": "the public record is append-only",
    "record.checkpoint": "signed heads of the record, written by the code and kept by witnesses",
    "audit.event": "the log of what organizers did is written by the code",
    "django_tasks_database.dbtaskresult": "the worker writes the results of its tasks",
}

# Every inline, and the test that fills it.
INLINES = {
    ("statements.coalition", "statements.membership"): "statements.coalition",
    ("statements.statement", "statements.demand"): "statements.statement",
    ("statements.statement", "statements.strikeday"): "statements.statement",
    ("statements.statement", "signatures.pledgecategory"): "statements.statement",
    ("statements.statement", "statements.update"): "statements.statement",
    # Read-only: checked after publishing (see publish_action).
    ("statements.statement", "statements.version"): "publish",
    ("signatures.organization", "signatures.organizationname"): "signatures.organization",
}


@browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "label, role", [(label, role) for label, test in FORMS.items() for role in test.roles]
)
def test_a_person_fills_and_saves_the_add_and_change_forms(label, role, language, sign_in, world):
    FORMS[label].run(sign_in(role, language), world)


@browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "label, role",
    [(label, "superuser") for label in READ_ONLY]
    # What organizers may read of their coalition.
    + [
        (label, "owner")
        for label in ("statements.version", "statements.tally", "signatures.notice")
    ],
)
def test_read_only_models_offer_no_add_and_no_save(label, role, language, sign_in, world):
    # Something to look at in each list.
    world.pending_signon(f"Read-only check {world.unique()}")  # a task, an audit event
    world.backstage.run(
        """
        from tadamun.audit import models as audit
        from tadamun.signatures.models import Notice
        from tadamun.statements.models import Statement
        statement = Statement.objects.get(pk=pk)
        if not Notice.objects.filter(statement=statement).exists():
            Notice.objects.create(statement=statement, kind="strike")
        audit.log(None, "checked", statement)
        """,
        pk=world.team["statement"],
    )
    admin = sign_in(role, language)
    app, model = label.split(".")
    admin.open(f"{app}/{model}/")
    assert admin.page.locator(".object-tools .addlink").count() == 0
    rows = admin.page.locator("#result_list tbody tr")
    assert rows.count() > 0
    rows.first.locator("th a, td a").first.click()
    admin.page.wait_for_load_state()
    admin.assert_in_language()
    assert admin.page.url.endswith("/change/")
    for button in ("_save", "_continue", "_addanother", "_saveasnew"):
        assert admin.page.locator(f"[name={button}]").count() == 0, button
    editable = admin.page.locator(
        "#content-main form fieldset input:not([type=hidden]), "
        "#content-main form fieldset textarea, #content-main form fieldset select"
    )
    assert editable.count() == 0
    response = admin.page.goto(admin.url(f"{app}/{model}/add/"))
    assert response.status == 403


# Actions: every action of every change list ------------------------------------------------


def publish_action(admin: Admin, world: World) -> None:
    path = f"statements/statement/{world.team['statement']}/change/"
    admin.open(path)
    versions = admin.page.locator("#versions-group tbody tr.has_original").count()
    admin.fill({"body_en": f"We strike, again ({world.unique()})."})
    admin.save()
    admin.act("statements/statement/", "publish", [world.team["statement"]])
    admin.succeeded_message()
    admin.open(path)
    # The versions inline lists the new one, and can neither add nor change one.
    group = admin.page.locator("#versions-group")
    assert group.locator("tbody tr.has_original").count() == versions + 1
    assert group.locator(".add-row:visible").count() == 0
    assert group.locator("input:not([type=hidden]), textarea, select").count() == 0


def strike_notice_action(admin: Admin, world: World) -> None:
    count = "from tadamun.signatures.models import Notice\nresult = Notice.objects.count()"
    before = world.backstage.run(count)
    admin.act("statements/statement/", "send_strike_notice", [world.team["statement"]])
    admin.succeeded_message()
    assert world.backstage.run(count) == before + 1
    admin.open("signatures/notice/")
    assert admin.page.locator("#result_list tbody tr").count() >= 1


def close_reconfirmation_action(admin: Admin, world: World) -> None:
    pk = world.backstage.run(
        """
        from tadamun.statements.models import Statement
        statement = Statement.objects.create(
            coalition_id=coalition, slug=slug, title={"en": "Closing", "ar": "إغلاق"},
            body={"en": "Text.", "ar": "نص."},
        )
        statement.publish()
        result = statement.pk
        """,
        coalition=world.team["coalition"],
        slug=f"closing-{world.unique()}",
    )
    admin.act("statements/statement/", "close_reconfirmation", [pk])
    admin.succeeded_message()
    assert world.value("statements.statement", pk, "reconfirmation_closed_at") is not None


def approve_action(admin: Admin, world: World) -> None:
    pk = world.pending_signon(f"Approved Relief {world.unique()}")
    admin.act("signatures/signon/", "approve", [pk])
    admin.succeeded_message()
    assert world.value("signatures.signon", pk, "status") == "approved"
    admin.open("signatures/signon/?status=approved")
    assert admin.page.locator(f'input[name=_selected_action][value="{pk}"]').count() == 1


def reject_action(admin: Admin, world: World) -> None:
    pk = world.pending_signon(f"Rejected Relief {world.unique()}")
    admin.act("signatures/signon/", "reject", [pk])
    admin.assert_in_language()
    admin.page.locator("textarea#reason").fill("We could not confirm who you are.")
    admin.submit("#content form input[type=submit]")
    admin.succeeded_message()
    assert world.value("signatures.signon", pk, "status") == "rejected"
    admin.open(f"signatures/signon/{pk}/change/")
    assert "We could not confirm" in admin.page.locator(".field-reason").inner_text()


def remove_action(admin: Admin, world: World) -> None:
    pk = world.pending_signon(f"Impostor Relief {world.unique()}")
    world.approve(pk)
    admin.act("signatures/signon/?status=approved", "remove", [pk])
    admin.succeeded_message()
    assert world.value("signatures.signon", pk, "status") == "removed"


def forget_action(admin: Admin, world: World) -> None:
    pk = world.pending_signon(f"Forgotten Relief {world.unique()}")
    world.approve(pk)
    world.backstage.run(
        "from tadamun.signatures.models import SignOn\nSignOn.objects.get(pk=pk).withdraw()",
        pk=pk,
    )
    admin.act("signatures/signon/?status=withdrawn", "forget", [pk])
    admin.succeeded_message()
    assert world.value("signatures.signon", pk, "forgotten_at") is not None


def merge_action(admin: Admin, world: World) -> None:
    n = world.unique()
    # Two approved organizations that turn out to be one.
    first = world.pending_signon(f"Merge Relief {n}")
    second = world.pending_signon(f"Merge Relief {n} Org")
    world.approve(first)
    world.approve(second)
    keep, other = (
        world.value("signatures.signon", pk, "organization_id") for pk in (first, second)
    )
    admin.act(f"signatures/organization/?q=Merge+Relief+{n}", "merge", [keep, other])
    admin.assert_in_language()
    admin.page.locator(f'input[name=keep][value="{keep}"]').check()
    admin.submit("#content form input[type=submit]")
    admin.succeeded_message()
    assert not world.exists("signatures.organization", other)
    assert world.value("signatures.signon", second, "organization_id") == keep


def revoke_action(admin: Admin, world: World) -> None:
    pk = world.backstage.run(
        """
        from tadamun.api.models import ApiToken
        token = ApiToken(coalition_id=coalition, name="To revoke", role="moderator")
        token.issue()
        token.save()
        result = token.pk
        """,
        coalition=world.team["coalition"],
    )
    admin.act("api/apitoken/", "revoke", [pk])
    admin.succeeded_message()
    assert world.value("api.apitoken", pk, "revoked_at") is not None


# Throwaway objects for the superuser's "delete selected": nothing else refers to them.
DISPOSABLE = {
    "statements.coalition": (
        "from tadamun.statements.models import Coalition\n"
        "result = Coalition.objects.create(slug=f'disposable-{n}', name={'en': 'Gone'}).pk"
    ),
    "statements.demand": (
        "from tadamun.statements.models import Demand, Statement\n"
        "statement = Statement.objects.create(coalition_id=coalition, slug=f'disposable-{n}',"
        " title={'en': 'Gone'}, body={'en': 'Gone'})\n"
        "result = Demand.objects.create(statement=statement, text={'en': 'Gone'}).pk"
    ),
    "statements.demandupdate": (
        "from tadamun.statements.models import DemandUpdate\n"
        "result = DemandUpdate.objects.create(demand_id=demand, status='open',"
        " note={'en': 'Gone'}).pk"
    ),
    "signatures.notice": (
        "from tadamun.signatures.models import Notice\n"
        "result = Notice.objects.create(statement_id=statement, kind='strike').pk"
    ),
    "auth.user": (
        "from django.contrib.auth.models import User\n"
        "result = User.objects.create_user(f'disposable-{n}').pk"
    ),
    "auth.group": (
        "from django.contrib.auth.models import Group\n"
        "result = Group.objects.create(name=f'disposable-{n}').pk"
    ),
}


def delete_action(label: str) -> Callable[[Admin, World], None]:
    def delete_selected(admin: Admin, world: World) -> None:
        pk = world.backstage.run(
            DISPOSABLE[label],
            n=world.unique(),
            coalition=world.team["coalition"],
            statement=world.team["statement"],
            demand=world.team["demand"],
        )
        app, model = label.split(".")
        admin.act(f"{app}/{model}/", "delete_selected", [pk])
        admin.assert_in_language()
        admin.submit("#content form input[type=submit]")
        admin.succeeded_message()
        assert not world.exists(label, pk)

    return delete_selected


@dataclass
class ActionTest:
    run: Callable[[Admin, World], None]
    roles: tuple = ("superuser",)
    languages: list = field(default_factory=lambda: LANGUAGES)


ACTIONS = {
    ("statements.statement", "publish"): ActionTest(
        publish_action, ("superuser", "owner", "editor")
    ),
    ("statements.statement", "send_strike_notice"): ActionTest(
        strike_notice_action, ("superuser", "owner", "editor")
    ),
    ("statements.statement", "close_reconfirmation"): ActionTest(
        close_reconfirmation_action, ("superuser", "owner", "editor")
    ),
    ("signatures.signon", "approve"): ActionTest(
        approve_action, ("superuser", "owner", "moderator")
    ),
    ("signatures.signon", "reject"): ActionTest(reject_action, ("superuser", "owner", "moderator")),
    ("signatures.signon", "remove"): ActionTest(remove_action, ("superuser", "owner", "moderator")),
    ("signatures.signon", "forget"): ActionTest(forget_action, ("superuser", "owner", "moderator")),
    ("signatures.organization", "merge"): ActionTest(
        merge_action, ("superuser", "owner", "moderator")
    ),
    ("api.apitoken", "revoke"): ActionTest(revoke_action, ("superuser", "owner")),
    **{(label, "delete_selected"): ActionTest(delete_action(label)) for label in DISPOSABLE},
}


@browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "label, action, role",
    [(label, action, role) for (label, action), test in ACTIONS.items() for role in test.roles],
)
def test_every_action_of_the_admin_runs_from_its_list(
    label, action, role, language, sign_in, world
):
    ACTIONS[(label, action)].run(sign_in(role, language), world)


# The sign-on's own page: Approve, and Reject with a reason ---------------------------------


@browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["superuser", "owner", "moderator"])
def test_a_sign_on_is_approved_or_rejected_from_its_own_page(role, language, sign_in, world):
    admin = sign_in(role, language)
    approved = world.pending_signon(f"Page Approved {world.unique()}")
    admin.open(f"signatures/signon/{approved}/change/")
    admin.succeeded(admin.submit(".decision button[value=approve]"))
    assert world.value("signatures.signon", approved, "status") == "approved"
    # The page, reloaded, has nothing left to decide.
    assert admin.page.url.endswith(f"/signatures/signon/{approved}/change/")
    assert admin.page.locator(".decision").count() == 0

    rejected = world.pending_signon(f"Page Rejected {world.unique()}")
    admin.open(f"signatures/signon/{rejected}/change/")
    admin.page.locator(".decision textarea[name=reason]").fill("Not a registered organization.")
    admin.succeeded(admin.submit(".decision button[value=reject]"))
    assert world.value("signatures.signon", rejected, "status") == "rejected"
    assert "Not a registered organization." in admin.page.locator(".field-reason").inner_text()


# The rest of the admin made right ---------------------------------------------------------


@browser
def test_the_admin_switches_language_from_its_user_links_both_ways(site, browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    # Before signing in, too: an organizer need not change the browser's language.
    with page.expect_navigation():
        page.locator(".language-switch button[lang=ar]").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("#site-name").inner_text() == "تضامن"
    page.goto(site.url + "/admin/statements/statement/")
    with page.expect_navigation():
        page.locator("#user-tools .language-switch button[lang=en]").click()
    assert page.url == site.url + "/admin/statements/statement/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#site-name").inner_text() == "Tadamun"
    with page.expect_navigation():
        page.locator("#user-tools .language-switch button[lang=ar]").click()
    assert page.url == site.url + "/admin/statements/statement/"
    assert page.locator("html").get_attribute("lang") == "ar"
    context.close()


@browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_moderation_list_shows_its_signals_without_scrolling_at_1280_px(
    language, sign_in, world
):
    n = world.unique()
    known = world.pending_signon(f"Signals Relief Network {n}")
    world.approve(known)
    world.pending_signon(
        f"Signals Relief Network {n} Org",
        email=f"director@signals{n}.org",
        website=f"https://www.signals{n}.org/",
    )
    admin = sign_in("superuser", language)
    admin.open("signatures/signon/")
    viewport = admin.page.viewport_size["width"]
    assert viewport == 1280
    results = admin.page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    for column in ("domain_signal", "duplicate_signal"):
        box = admin.page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport, column
    name = admin.page.get_by_role("link", name=f"Signals Relief Network {n} Org", exact=True)
    row = admin.page.locator("#result_list tbody tr", has=name)
    assert f"Signals Relief Network {n}" in row.locator("td.field-duplicate_signal").inner_text()


@browser
def test_the_index_counts_the_sign_ons_waiting_for_each_organizer(sign_in, world):
    world.pending_signon(f"Waiting Relief {world.unique()}")
    counts = world.backstage.run(
        """
        from tadamun.signatures.models import SignOn
        pending = SignOn.objects.filter(status="pending")
        result = [pending.count(), pending.filter(statement__coalition_id=coalition).count()]
        """,
        coalition=world.team["coalition"],
    )
    for role, expected in zip(("superuser", "moderator"), counts, strict=True):
        admin = sign_in(role, "en")
        admin.open("")
        link = admin.page.locator("p.waiting a")
        assert link.inner_text().startswith(f"{expected} sign-on"), (role, link.inner_text())
        with admin.page.expect_navigation():
            link.click()
        assert admin.page.locator("#result_list tbody tr").count() == min(expected, 100)
    # An editor decides nothing and is told nothing.
    admin = sign_in("editor", "en")
    admin.open("")
    assert admin.page.locator("p.waiting").count() == 0


@browser
def test_dates_in_the_arabic_admin_read_as_in_syria(sign_in, world):
    from django.utils import timezone

    from tadamun.localization import format_date

    pk = world.pending_signon(f"Dated Relief {world.unique()}")
    today = timezone.now()
    for language, expected in (
        ("ar", format_date(today, language="ar")),
        ("en", today.strftime("%b")),
    ):
        admin = sign_in("superuser", language)
        admin.open(f"signatures/signon/{pk}/change/")
        submitted = admin.page.locator(".field-created_at .readonly").inner_text()
        assert expected in submitted, (language, submitted)


# Accessibility: every admin page an organizer may open ----------------------------------


@browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_admin_page_has_no_serious_accessibility_violation(site, browser, language, world):
    """axe-core on the admin's first page and, for every model, its list, its add form and
    the change (or view) page of its first row, as the superuser sees them (most columns and
    inlines). Each model is looked at with something in its list."""
    world.pending_signon(f"Axe admin check {world.unique()}")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert AXE.exists()
    page.goto(site.url + "/admin/")
    assert_accessible(page, f"admin index, {language}")
    for label in [*FORMS, *READ_ONLY]:
        app, model = label.split(".")
        page.goto(f"{site.url}/admin/{app}/{model}/")
        assert_accessible(page, f"{label} list, {language}")
        first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
        change = first.get_attribute("href") if first.count() else None
        if page.locator("a.addlink").count():
            page.goto(f"{site.url}/admin/{app}/{model}/add/")
            page.wait_for_load_state("load")
            assert_accessible(page, f"{label} add form, {language}")
        if change:
            page.goto(site.url + change)
            page.wait_for_load_state("load")
            assert_accessible(page, f"{label} change page, {language}")
    context.close()


# The lists above cover the admin's registry: no browser needed ---------------------------


def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    return request


def test_every_model_registered_in_the_admin_has_a_browser_test_of_its_forms():
    registered = {model._meta.label_lower for model in django_admin.site._registry}
    assert not set(FORMS) & set(READ_ONLY)
    missing = registered - set(FORMS) - set(READ_ONLY)
    assert not missing, f"no browser test of the add and change forms of {sorted(missing)}"
    assert not (set(FORMS) | set(READ_ONLY)) - registered, "a test of a model not in the admin"


def test_models_tested_as_read_only_offer_no_add_and_no_change_even_to_a_superuser():
    request = superuser_request()
    for model, model_admin in django_admin.site._registry.items():
        if model._meta.label_lower in READ_ONLY:
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request, model()), model


def test_every_inline_in_the_admin_has_a_browser_test():
    inlines = {
        (model._meta.label_lower, inline.model._meta.label_lower)
        for model, model_admin in django_admin.site._registry.items()
        for inline in model_admin.inlines
    }
    assert inlines == set(INLINES), "add the inline to INLINES and fill it in its form's test"
    actions = {action for _label, action in ACTIONS}
    for label in INLINES.values():
        assert label in FORMS or label in actions, label


def test_every_action_in_the_admin_has_a_browser_test():
    request = superuser_request()
    actions = {
        (model._meta.label_lower, name)
        for model, model_admin in django_admin.site._registry.items()
        for name in model_admin.get_actions(request)
    }
    missing = actions - set(ACTIONS)
    assert not missing, f"no browser test of the actions {sorted(missing)}"
    assert not set(ACTIONS) - actions, "a test of an action the admin does not offer"
