"""A coordinator runs a statement from the organizers' desk in a real browser, in Arabic and
in English, on a phone (360 px) and a laptop (1280 px), with JavaScript on and off: a
coalition, a bilingual statement with demands, preview, publish, version 2 after seeing the
difference, a strike day, a demand's status and an update with a source, news on the
timeline; and what the public pages then show. Every desk page is checked by axe-core. The
clicks and fields each task takes, and each desk page's weight, go to
test-artifacts/desk-statements.json."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import ORGANIZER, record_figures
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_desk_moderation import TITLE

pytestmark = pytest.mark.browser

# What the public and desk pages say, in each language, that the journey checks.
WORDS = {
    "ar": {
        "partly_met": "تحقق جزئياً",
        "met": "تحقق",
        "istanbul": "إسطنبول — توقيت تركيا",
        "copied": "تم النسخ",
        "published": "تمّ نشر النسخة 1 وفتحها للتوقيع.",
        "published_2": "تمّ نشر النسخة 2.",
        "no_reconfirm": "لن يُطلب من أحد إعادة التأكيد",
    },
    "en": {
        "partly_met": "partly met",
        "met": "met",
        "istanbul": "Istanbul — Türkiye Time",
        "copied": "Copied",
        "published": "Version 1 is published and open for signing.",
        "published_2": "Version 2 is published.",
        "no_reconfirm": "nobody will be asked to reconfirm",
    },
}
# Desk pages by their address, to name each page's weight.
PAGES = [
    ("sign-in", r"/desk/sign-in/$"),
    ("dashboard", r"/desk/$"),
    ("new coalition", r"/desk/coalitions/new/$"),
    ("new statement", r"/desk/coalitions/\d+/statements/new/$"),
    ("edit the text", r"/desk/statements/\d+/edit/$"),
    ("preview", r"/desk/statements/\d+/preview/$"),
    ("publish with the difference", r"/desk/statements/\d+/publish/$"),
    ("statement page", r"/desk/statements/\d+/$"),
    ("strike day", r"/desk/statements/\d+/strike-days/new/$"),
    ("demand update", r"/desk/statements/\d+/demands/\d+/update/$"),
    ("news", r"/desk/statements/\d+/news/new/$"),
]


# The admin's pages for the same tasks.
ADMIN_PAGES = [
    ("index", r"/admin/$"),
    ("add a coalition", r"/admin/statements/coalition/add/$"),
    ("add a statement", r"/admin/statements/statement/add/$"),
    ("statements", r"/admin/statements/statement/$"),
    ("change a statement", r"/admin/statements/statement/\d+/change/$"),
    ("add a demand update", r"/admin/statements/demandupdate/add/$"),
]


class Effort:
    """Does what a person does on the page, counting clicks and the fields typed into, per
    task; a choice in a drop-down list is two clicks (open, choose)."""

    def __init__(self, page):
        self.page = page
        self.tasks: dict[str, dict] = {}
        self.current = ""

    def task(self, name: str) -> None:
        self.current = name
        self.tasks[name] = {"clicks": 0, "fields": 0, "characters": 0}

    def click(self, locator) -> None:
        locator.click()
        self.tasks[self.current]["clicks"] += 1

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self.tasks[self.current]["fields"] += 1
        self.tasks[self.current]["characters"] += len(value)

    def choose(self, locator) -> None:
        locator.check()
        self.tasks[self.current]["clicks"] += 1

    def select(self, locator, value: str) -> None:
        locator.select_option(value)
        self.tasks[self.current]["clicks"] += 2


class Weights:
    """Bytes on the wire for each page, on its first visit: the document and everything it
    loads (all that the browser's loader of that document fetched, headers included), with
    the browser's cache disabled."""

    def __init__(self, context, page, patterns=PAGES):
        self.patterns = patterns
        self.documents: list[tuple[str, str]] = []  # (loader, address), in order of visits
        self.loader_of: dict[str, str] = {}
        self.posted: set[str] = set()
        self.bytes: dict[str, int] = {}
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self.sent)
        cdp.on("Network.loadingFinished", self.finished)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def sent(self, event) -> None:
        loader = event["loaderId"]
        self.loader_of[event["requestId"]] = loader
        if event.get("type") != "Document":
            return
        if "redirectResponse" in event or event["request"]["method"] != "GET":
            # A form sent, and the page it leads to: the weight of an action, not of a page.
            self.posted.add(loader)
        else:
            self.documents.append((loader, event["request"]["url"]))

    def finished(self, event) -> None:
        loader = self.loader_of.get(event["requestId"])
        if loader:
            self.bytes[loader] = self.bytes.get(loader, 0) + int(event["encodedDataLength"])

    def pages(self) -> dict[str, int]:
        named = {}
        for loader, url in self.documents:
            path = url.split("?")[0].split("#")[0]
            for name, pattern in self.patterns:
                if (
                    re.search(pattern, path)
                    and name not in named
                    and loader in self.bytes
                    and loader not in self.posted
                ):
                    named[name] = self.bytes[loader]
        return named


@pytest.fixture
def desk(site, browser, request):
    language, width, javascript = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        java_script_enabled=javascript,
        # axe-core is injected into the pages; the site's policy rightly refuses it otherwise.
        bypass_csp=javascript,
    )
    if javascript:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    weights = Weights(context, page) if javascript and width == 360 else None
    yield page, language, width, javascript, weights
    context.close()


def check_page(page, label: str, axe: bool) -> None:
    """Nothing wider than the screen (a phone scrolls only down), and axe-core finds nothing
    serious where it can run."""
    page.wait_for_load_state("load")  # the stylesheet too: clicks wait only for the document
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().width > innerWidth)
                .map(e => `${e.tagName}.${e.className}[${e.getAttribute('name')}]`)"""
        )
        raise AssertionError(f"{label}: {overflow} px wider than the screen: {wide}")
    if axe:
        assert_accessible(page, label)


COMBINATIONS = [
    (language, width, javascript)
    for language in ("ar", "en")
    for width in (360, 1280)
    for javascript in (True, False)
]


@pytest.mark.parametrize(
    "desk",
    COMBINATIONS,
    ids=[f"{code}-{w}px-{'js' if js else 'no-js'}" for code, w, js in COMBINATIONS],
    indirect=True,
)
def test_a_coordinator_runs_a_statement_from_the_desk(site, desk):
    page, language, width, javascript, weights = desk
    words = WORDS[language]
    other = "en" if language == "ar" else "ar"
    n = site.unique()
    label = f"{language}, {width} px, {'JavaScript' if javascript else 'no JavaScript'}"
    do = Effort(page)
    desk_url = f"{site.url}/{language}/desk/"

    def checked(name: str) -> None:
        check_page(page, f"{name} ({label})", axe=javascript)

    # Sign in.
    do.task("sign in")
    page.goto(desk_url + "sign-in/")
    checked("sign-in")
    do.fill(page.locator("input[name=username]"), ORGANIZER[0])
    do.fill(page.locator("input[name=password]"), ORGANIZER[1])
    do.click(page.locator("main button[type=submit]"))
    expect(page).to_have_url(desk_url)
    checked("dashboard")

    # 1. A coalition, its name in both languages side by side.
    do.task("create a coalition")
    coalition = {"ar": f"تحالف الإضراب {n}", "en": f"Strike Coalition {n}"}
    do.click(page.locator("a[href$='/desk/coalitions/new/']"))
    checked("new coalition")
    do.fill(page.locator("input[name=name_ar]"), coalition["ar"])
    do.fill(page.locator("input[name=name_en]"), coalition["en"])
    do.click(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/desk/#coalition-\d+$"))
    section = page.locator("section.coalition").filter(
        has=page.get_by_role("heading", name=coalition[language], exact=True)
    )
    expect(section).to_have_count(1)
    expect(page.locator(".messages")).to_contain_text(coalition[language])

    # 2. A statement in two languages with two demands, previewed in each language, published.
    do.task("write, preview and publish a statement")
    title = {"ar": f"يوم إضراب من أجل حلب {n}", "en": f"Day of strike for Aleppo {n}"}
    body = {"ar": "نعلن يوم إضراب وطني.", "en": "We declare a national day of strike."}
    demands = [
        {"ar": "ممر آمن للمحاصرين.", "en": "Safe passage for the besieged."},
        {"ar": "حماية العاملين.", "en": "Protection for staff."},
    ]
    do.click(section.locator("a[href*='/statements/new/']"))
    checked("new statement")
    expect(page.locator("fieldset.language[lang=ar]").first).to_have_attribute("dir", "rtl")
    do.choose(page.locator("input[name=kind][value=strike]"))
    for code in ("ar", "en"):
        do.fill(page.locator(f"input[name=title_{code}]"), title[code])
        do.fill(page.locator(f"textarea[name=body_{code}]"), body[code])
        for i, demand in enumerate(demands):
            do.fill(page.locator(f"textarea[name=demands-{i}-text_{code}]"), demand[code])
    do.click(page.locator("button[name=then][value=preview]"))
    expect(page).to_have_url(re.compile(r"/desk/statements/\d+/preview/$"))
    pk = re.search(r"/statements/(\d+)/", page.url).group(1)
    checked("preview")
    expect(page.locator("article.statement h1")).to_have_text(title[language])
    expect(page.locator("ol.demands > li")).to_have_count(2)
    do.click(page.locator(f".preview-bar a[hreflang={other}]"))
    expect(page.locator("article.statement h1")).to_have_text(title[other])
    do.click(page.locator(f".preview-bar a[hreflang={language}]"))
    expect(page.locator("article.statement h1")).to_have_text(title[language])
    do.click(page.locator(".preview-bar button[name=open]"))
    expect(page).to_have_url(f"{desk_url}statements/{pk}/")
    expect(page.locator(".messages")).to_contain_text(words["published"])
    checked("statement page")
    slug = f"day-of-strike-for-aleppo-{n}"
    public = f"{site.url}/{language}/statements/{slug}/"
    page.goto(public)
    expect(page.locator("h1")).to_have_text(title[language])
    expect(page.locator("ol.demands > li")).to_have_count(2)
    expect(page.locator("div.body")).to_contain_text(body[language])

    # The embed code to copy and the press kit.
    page.goto(f"{desk_url}statements/{pk}/")
    card = page.locator(f"textarea#card-{language}")
    expect(card).to_have_value(re.compile(re.escape(f'<iframe src="{public}card/"')))
    expect(page.locator(f"textarea#badge-{language}")).to_have_value(
        re.compile(re.escape(f'<img src="{public}badge.svg"'))
    )
    expect(page.locator(f"a[href='/{language}/statements/{slug}/press.pdf']")).to_have_count(1)
    if javascript:
        page.locator(f"textarea#card-{language} + button.copy-button").click()
        expect(page.locator(f"textarea#card-{language} ~ .copied")).to_have_text(words["copied"])
        assert page.evaluate("navigator.clipboard.readText()") == card.input_value()
    else:
        expect(page.locator("button.copy-button")).to_have_count(0)

    # 3. Version 2, after seeing the difference and the warning to signatories.
    do.task("publish version 2 after seeing the difference")
    page.goto(desk_url)
    added = {"ar": " الآن", "en": " now"}
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/']"))
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/edit/']").first)
    checked("edit the text")
    for code in ("ar", "en"):
        do.fill(page.locator(f"textarea[name=body_{code}]"), body[code][:-1] + added[code] + ".")
    do.click(page.locator("button[name=then][value=preview]"))
    expect(page.locator("article.statement div.body")).to_contain_text(added[language].strip())
    do.click(page.locator(f".preview-bar a[href$='/statements/{pk}/publish/']"))
    checked("publish with the difference")
    expect(page.locator(f"section.diff div[lang={language}] .diff-body ins")).to_contain_text(
        added[language].strip()
    )
    expect(page.locator(f"section.diff div[lang={language}] .diff-body del")).to_have_count(1)
    expect(page.locator("main .notice")).to_contain_text(words["no_reconfirm"])
    do.click(page.locator("main form.actions button[type=submit]"))
    expect(page.locator(".messages")).to_contain_text(words["published_2"])
    page.goto(public)
    expect(page.locator("div.body")).to_contain_text(added[language].strip())
    page.goto(public + "versions/")
    expect(page.locator("ol.versions > li")).to_have_count(2)

    # 4. A strike day, its time zone chosen by the city's name.
    do.task("add a strike day")
    page.goto(desk_url)
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/']"))
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/strike-days/new/']"))
    checked("strike day")
    zones = page.locator("select[name=time_zone] option").all_inner_texts()
    assert not [zone for zone in zones if "/" in zone], zones
    assert words["istanbul"] in zones
    do.fill(page.locator("input[name=date]"), "2030-12-08")
    do.fill(page.locator("input[name=start_time]"), "09:00")
    do.fill(page.locator("input[name=end_time]"), "17:00")
    do.select(page.locator("select[name=time_zone]"), "Europe/Istanbul")
    do.click(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(f"{desk_url}statements/{pk}/#strike-days")
    expect(page.locator("#strike-days ul.strike-days")).to_contain_text(words["istanbul"])
    page.goto(public)
    # 09:00 in Istanbul is 06:00 UTC, the server's own time.
    strike = page.locator("div.strike time")
    expect(strike).to_have_attribute("datetime", "2030-12-08T06:00:00+00:00")
    expect(strike).to_contain_text("09:00")
    expect(strike).to_contain_text("17:00")

    # 5. A demand's status changes, with a word on why.
    do.task("change a demand's status")
    page.goto(desk_url)
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/']"))
    do.click(page.locator("#demands a[href$='/update/']").first)
    checked("demand update")
    do.choose(page.locator("input[name=status][value=partly_met]"))
    note = {"ar": "فُتح الممر جزئيًا.", "en": "The passage opened in part."}
    do.fill(page.locator(f"textarea[name=note_{language}]"), note[language])
    do.click(page.locator("main form button[type=submit]"))
    expect(page.locator("#demands li").first).to_contain_text(words["partly_met"])
    page.goto(public)
    first = page.locator("ol.demands > li").first
    expect(first.locator(".demand-status")).to_contain_text(words["partly_met"])

    # 6. An update of the demand with its source, dated.
    do.task("post a demand update with a source")
    page.goto(desk_url)
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/']"))
    do.click(page.locator("#demands a[href$='/update/']").first)
    do.choose(page.locator("input[name=status][value=met]"))
    do.fill(page.locator("input[name=date]"), "2030-12-20")
    done = {"ar": "فُتح الممر بالكامل.", "en": "The passage is fully open."}
    for code in ("ar", "en"):
        do.fill(page.locator(f"textarea[name=note_{code}]"), done[code])
    source = f"https://news.example.org/aleppo-{n}"
    do.fill(page.locator("textarea[name=sources]"), source)
    do.click(page.locator("main form button[type=submit]"))
    expect(page.locator(".messages")).to_contain_text(words["met"])
    page.goto(public)
    first = page.locator("ol.demands > li").first
    expect(first.locator(".demand-status")).to_have_class(re.compile("status-met"))
    expect(first.locator(".demand-update")).to_contain_text(done[language])
    expect(first.locator(f".demand-update a.source[href='{source}']")).to_have_count(1)
    expect(first.locator(".demand-update time")).to_have_attribute("datetime", "2030-12-20")

    # 7. News on the statement's timeline.
    do.task("post news on the timeline")
    page.goto(desk_url)
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/']"))
    do.click(page.locator(f"a[href$='/desk/statements/{pk}/news/new/']"))
    checked("news")
    news = {"ar": f"انضمت منظمات جديدة {n}", "en": f"New organizations joined {n}"}
    do.fill(page.locator(f"input[name=title_{language}]"), news[language])
    do.fill(page.locator(f"textarea[name=body_{language}]"), news[language] + ".")
    do.click(page.locator("main form button[type=submit]"))
    expect(page.locator("#news")).to_contain_text(news[language])
    page.goto(public + "timeline/")
    expect(page.locator("ol.timeline h2", has_text=news[language])).to_have_count(1)

    figures = {"tasks": do.tasks}
    if weights:
        figures["page_bytes"] = weights.pages()
    key = f"desk-{language}-{width}px-{'js' if javascript else 'no-js'}"
    print(f"\nEFFORT {key}: {figures}")
    record_figures("desk-statements", {key: figures})


@pytest.fixture(scope="module")
def moderator(site):
    """A moderator of the demo coalition, made with the site's own management shell."""
    name, password = "moderator-maya", "a-long-password-for-maya-1"
    code = (
        "from django.contrib.auth.models import User\n"
        "from tadamun.statements.models import Membership, Statement\n"
        f"u = User.objects.create_user({name!r}, password={password!r}, is_staff=True)\n"
        "demo = Statement.objects.get(slug='aleppo-strike-2016').coalition\n"
        "Membership.objects.create(user=u, coalition=demo, role='moderator')\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "PYTHONPATH")},
        "HOME": str(site.logs),
        "DATA_DIR": str(site.logs),
        "DJANGO_SETTINGS_MODULE": "tadamun.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return name, password


@pytest.mark.parametrize("language", ["ar", "en"])
def test_desk_pages_with_errors_and_read_only_have_no_serious_accessibility_violation(
    site, browser, moderator, language
):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    desk_url = f"{site.url}/{language}/desk/"
    page.goto(desk_url + "sign-in/")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.click("main button[type=submit]")
    expect(page.locator("p.error")).to_have_count(1)
    assert_accessible(page, f"sign-in with an error, {language}")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("main button[type=submit]")
    expect(page).to_have_url(desk_url)

    page.goto(desk_url + "coalitions/new/")
    page.click("main form button[type=submit]")
    expect(page.locator("#errors")).to_be_visible()
    assert_accessible(page, f"new coalition with errors, {language}")

    page.goto(desk_url)
    # The demo statement: other tests on the live site add statements that have no demands.
    statement = (
        page.locator("ul.statements > li", has_text=TITLE[language]).locator("a").first
    ).get_attribute("href")
    page.goto(site.url + statement + "strike-days/new/")
    page.fill("input[name=start_time]", "")
    page.click("main form button[type=submit]")
    expect(page.locator("#errors")).to_be_visible()
    assert_accessible(page, f"strike day with errors, {language}")

    page.goto(site.url + statement + "edit/")
    page.fill("input[name=title_ar]", "")
    page.click("button[name=then][value=stay]")
    expect(page.locator("#errors")).to_be_visible()
    expect(page.locator("input[name=title_ar]")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"statement form with errors, {language}")

    page.goto(site.url + statement)
    page.locator("#demands a[href$='/update/']").first.click()
    page.click("main form button[type=submit]")
    expect(page.locator("#errors")).to_be_visible()
    assert_accessible(page, f"demand update with errors, {language}")

    page.context.clear_cookies()
    page.goto(desk_url + "sign-in/")
    page.fill("input[name=username]", moderator[0])
    page.fill("input[name=password]", moderator[1])
    page.click("main button[type=submit]")
    response = page.goto(site.url + statement + "edit/")
    assert response.status == 403
    assert_accessible(page, f"read-only page, {language}")
    page.goto(site.url + statement)
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
    assert_accessible(page, f"statement page for a moderator, {language}")
    context.close()
