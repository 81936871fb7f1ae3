"""The coordinator's desk in a real browser, in Arabic and English, on a phone and a laptop:
moderate sign-ons made through the public form (one of them with the keyboard alone), give a
colleague a role, import a pasted list and send the strike-day notice, following both to the
end across a reload; axe-core on every desk page; the clicks, fields and page weights of each
task, and of the same tasks in the Django admin, written to test-artifacts/desk.json."""

import hashlib
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, ORGANIZER, artifacts, link_in, record_figures
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

TITLE = {"en": "National day of strike for Aleppo", "ar": "يوم الإضراب الوطني من أجل حلب"}
WIDTHS = {"phone": 360, "laptop": 1280}


class Steps:
    """Does what a person does on a page, and counts it: clicks (a choice in a list is two),
    fields filled, and keys pressed by someone using the keyboard alone."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.fields = self.keys = 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def check(self, locator) -> None:
        locator.check()
        self.clicks += 1

    def select(self, locator, value: str) -> None:
        locator.select_option(value)
        self.clicks += 2

    def fill(self, locator, text: str) -> None:
        locator.fill(text)
        self.fields += 1

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.fields += 1

    def figures(self) -> dict:
        return {"clicks": self.clicks, "fields": self.fields, "keys": self.keys}


def shot(page, name: str, language: str, width: int) -> None:
    page.screenshot(path=artifacts("desk") / f"{name}-{language}-{width}.png", full_page=True)


def sign_in(page, site, language: str) -> None:
    page.goto(f"{site.url}/{language}/desk/sign-in/")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{site.url}/{language}/desk/")


def signed_on_and_confirmed(site, browser, name: str, email: str, language: str) -> None:
    """An organization signs on through the public form and confirms by the link it got."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.statement(language, "sign/"))
    page.fill(f"input[name=name_{language}]", name)
    page.fill("input[name=country]", "Syria")
    page.fill("input[name=website]", "https://" + email.split("@")[1])
    page.fill("input[name=contact_name]", "Rima")
    page.fill("input[name=contact_email]", email)
    page.fill("input[name=contact_role]", "Director")
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile("/sign/sent/$"))
    [message] = site.messages_to(email)
    page.goto(link_in(message, "/confirm/"))
    page.click("main form button[type=submit]")
    expect(page.locator("main form")).to_have_count(0)
    context.close()


def distinct_names(seed: str, count: int) -> list[str]:
    """Names as distinct as a real list's: nothing in them looks like another."""
    return [
        "Association " + hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()[:12]
        for i in range(count)
    ]


def statement_row(page, language: str):
    return page.locator("ul.statements > li", has_text=TITLE[language])


def demo_team_link(page, language: str):
    """The demo coalition's "Team and roles" (other tests on the live site add coalitions,
    which may sort before it)."""
    coalition = page.locator("section.coalition").filter(has=statement_row(page, language))
    return coalition.locator("p.tools a[href$='/team/']")


def tab_to(steps, where, target: str, most: int = 400) -> None:
    """Press Tab until `where()` answers `target`, as a keyboard user moves through a page."""
    for _ in range(most):
        steps.press("Tab")
        if where() == target:
            return
    raise AssertionError(f"{target} was not reached with {most} presses of Tab")


def assert_focus_visible(page, css_class: str) -> None:
    focused = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return {tag: e.tagName, cls: e.className, outline: s.outlineStyle,
                           width: parseFloat(s.outlineWidth)}; }"""
    )
    assert focused["tag"] == "BUTTON" and css_class in focused["cls"], focused
    assert focused["outline"] != "none" and focused["width"] >= 2, f"focus not visible: {focused}"


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request) -> int:
    return WIDTHS[request.param]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_coordinator_moderates_gives_a_role_imports_and_sends_the_notice(
    site, browser, language, width
):
    n = site.unique()
    approved = f"Desk Relief {language} {width} {n}" if language == "en" else f"إغاثة المكتب {n}"
    rejected = f"Desk Doubtful {language} {width} {n}" if language == "en" else f"جمعية مشكوك {n}"
    approved_email, rejected_email = f"a{n}@relief{n}.org", f"r{n}@doubt{n}.org"
    signed_on_and_confirmed(site, browser, approved, approved_email, language)
    signed_on_and_confirmed(site, browser, rejected, rejected_email, language)

    # The desk needs no script: the Arabic runs go without JavaScript, the English with it.
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=language == "en"
    )
    page = context.new_page()
    sign_in(page, site, language)
    figures = {}
    desk = page.url

    # One decision with a pointer, the other with the keyboard alone, each from the
    # dashboard: in Arabic the approval is made with the keyboard, in English the rejection.
    reason = "We could not reach you." if language == "en" else "لم نتمكن من التواصل معكم."
    keyboard_approves = language == "ar"
    page.goto(desk)
    steps = Steps(page)
    moderation = statement_row(page, language).locator("a.pending")
    if keyboard_approves:
        tab_to(
            steps,
            lambda: page.evaluate("document.activeElement.getAttribute('href')"),
            moderation.get_attribute("href"),
        )
        steps.press("Enter")
    else:
        steps.click(moderation)
    expect(page.locator("h1")).to_contain_text(TITLE[language])
    card = page.locator("article.signon", has_text=approved)
    expect(card).to_have_count(1)
    expect(card.locator("ul.signals li").first).to_be_visible()
    assert card.locator("button.approve").bounding_box()["x"] + 10 < width  # on screen
    shot(page, "moderation", language, width)
    if keyboard_approves:
        button = card.locator("button.approve")
        tab_to(
            steps,
            lambda: page.evaluate("document.activeElement.closest('form')?.action"),
            site.url + button.locator("xpath=..").get_attribute("action"),
        )
        assert_focus_visible(page, "approve")
        steps.press("Enter")
    else:
        steps.click(card.locator("button.approve"))
    expect(page.locator("#messages")).to_contain_text(approved)
    expect(page.locator("article.signon", has_text=approved)).to_have_count(0)
    figures[f"approve a sign-on ({'keyboard' if keyboard_approves else 'pointer'})"] = (
        steps.figures()
    )
    assert len(site.messages_to(approved_email, count=2)) == 2  # confirmation, approval

    page.goto(desk)
    steps = Steps(page)
    if keyboard_approves:
        steps.click(moderation)
    else:
        tab_to(
            steps,
            lambda: page.evaluate("document.activeElement.getAttribute('href')"),
            moderation.get_attribute("href"),
        )
        steps.press("Enter")
    expect(page.locator("h1")).to_contain_text(TITLE[language])
    reason_box = page.locator("article.signon", has_text=rejected).locator("textarea")
    if keyboard_approves:
        steps.fill(reason_box, reason)
        steps.click(page.locator("article.signon", has_text=rejected).locator("button.danger"))
    else:
        box = reason_box.get_attribute("id")
        tab_to(steps, lambda: page.evaluate("document.activeElement.id"), box)
        steps.type(reason)
        steps.press("Tab")
        assert_focus_visible(page, "danger")
        steps.press("Enter")
    expect(page.locator("#messages")).to_contain_text(rejected)
    expect(page.locator("article.signon", has_text=rejected)).to_have_count(0)
    how = "pointer" if keyboard_approves else "keyboard"
    figures[f"reject a sign-on with a reason ({how})"] = steps.figures()
    rejection = site.messages_to(rejected_email, count=2)[1]
    assert reason in rejection.get_body(("plain",)).get_content()

    # Give a colleague a role; they choose a password from the e-mail, in this language.
    page.goto(desk)
    steps = Steps(page)
    colleague = f"colleague{n}@example.org"
    steps.click(demo_team_link(page, language))
    steps.fill(page.locator("input[name=email]"), colleague)
    steps.check(page.locator("input[name=role][value=moderator]"))
    steps.click(page.locator("main form button[type=submit]").first)
    expect(page.locator("#messages")).to_contain_text(colleague)
    expect(page.locator("ul.members")).to_contain_text(colleague)
    shot(page, "team", language, width)
    figures["give a colleague a role"] = steps.figures()
    invitation = site.messages_to(colleague)[0]
    link = link_in(invitation, "/set-password/")
    assert f"/{language}/desk/set-password/" in link
    other = browser.new_context(viewport={"width": width, "height": 800})
    theirs = other.new_page()
    theirs.goto(link)
    expect(theirs.locator("html")).to_have_attribute("lang", language)
    theirs.fill("input[name=new_password1]", f"a-long-colleague-passphrase-{n}")
    theirs.fill("input[name=new_password2]", f"a-long-colleague-passphrase-{n}")
    theirs.click("main form button[type=submit]")
    theirs.click("main a.button")
    theirs.fill("input[name=username]", colleague)
    theirs.fill("input[name=password]", f"a-long-colleague-passphrase-{n}")
    theirs.click("main form button[type=submit]")
    expect(statement_row(theirs, language)).to_have_count(1)
    other.close()

    # Import a pasted list of 150 names and follow it to the end, across a reload.
    page.goto(desk)
    steps = Steps(page)
    names = "\n".join(distinct_names(f"{language}{width}{n}", 150))
    steps.click(statement_row(page, language).locator("a[href$='/import/']"))
    steps.fill(page.locator("textarea[name=names]"), names)
    started = time.monotonic()
    steps.click(page.locator("main form button[type=submit]"))
    # The check of a long list runs in the background; this page follows it by itself.
    expect(page.locator("main form.decide")).to_be_visible(timeout=180_000)
    figures["seconds until the check of 150 names is shown"] = round(time.monotonic() - started, 1)
    shot(page, "import-check", language, width)
    steps.click(page.locator("main form.decide button[name=confirm]"))
    expect(page.locator("progress")).to_be_visible()
    # The page reloads itself while the worker imports; it ends without reloading.
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0, timeout=60_000)
    done = page.locator("p.figures").inner_text()
    assert "150" in done
    figures["import a pasted list"] = steps.figures()
    page.reload()
    expect(page.locator("p.figures")).to_have_text(done)
    assert page.locator("progress").get_attribute("value") == "150"

    # Send the strike-day notice and follow it to the end, across a reload.
    page.goto(desk)
    steps = Steps(page)
    steps.click(statement_row(page, language).locator("a[href$='/notices/']"))
    expect(page.locator("main form.card button[type=submit]")).to_be_visible()
    steps.fill(page.locator(f"textarea[name=message_{language}]"), f"Stay home. {n}")
    steps.click(page.locator("main form.card button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/desk/notices/\d+/$"))
    expect(page.locator("progress")).to_be_visible()
    before_reload = page.locator("p.figures").inner_text()
    page.reload()
    expect(page.locator("p.figures")).to_be_visible()
    assert (
        re.findall(r"\d+", page.locator("p.figures").inner_text())[-1]
        == re.findall(r"\d+", before_reload)[-1]
    )  # the same number of recipients after the reload
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0, timeout=60_000)
    sent = page.locator("p.figures").inner_text()
    page.reload()
    expect(page.locator("p.figures")).to_have_text(sent)
    figures["send the strike-day notice"] = steps.figures()
    notice = site.messages_to(approved_email, count=3)[2]
    assert f"Stay home. {n}" in notice.get_body(("plain",)).get_content()

    shot(page, "notice", language, width)
    context.close()
    record_figures("desk", {f"desk, {language}, {width} px": figures})


def page_weight(browser, state: dict, url: str) -> int:
    """Bytes on the wire for a first visit to `url` (empty cache, compressed as served)."""
    context = browser.new_context(storage_state=state)
    page = context.new_page()
    page.goto(url, wait_until="load")
    weight = page.evaluate(
        """() => performance.getEntriesByType('navigation')
                   .concat(performance.getEntriesByType('resource'))
                   .reduce((sum, entry) => sum + entry.transferSize, 0)"""
    )
    context.close()
    return weight


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_desk_page_is_accessible_and_light(site, browser, language):
    """axe-core finds nothing serious or critical on any desk page, with a waiting sign-on on
    the moderation desk, a checked list, an import, a notice and the set-password page."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci`")
    n = site.unique()
    name = f"Axe Check Network {n}" if language == "en" else f"شبكة فحص {n}"
    signed_on_and_confirmed(site, browser, name, f"axe{n}@axe-network{n}.org", language)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, site, language)
    pages = {"dashboard": page.url}
    pages["moderation"] = site.url + statement_row(page, language).locator(
        "a.pending"
    ).get_attribute("href")
    pages["team"] = site.url + demo_team_link(page, language).get_attribute("href")
    pages["import"] = site.url + statement_row(page, language).locator(
        "a[href$='/import/']"
    ).get_attribute("href")
    pages["notices"] = site.url + statement_row(page, language).locator(
        "a[href$='/notices/']"
    ).get_attribute("href")
    page.goto(pages["import"])
    # A name like the waiting sign-on's, so that its card shows the names side by side.
    page.fill("textarea[name=names]", f"Kesh Malek\nKesh Malik\n{name}s")
    page.click("main form button[type=submit]")
    checked = page.url
    expect(page.locator("main form.decide")).to_be_visible()
    assert_accessible(page, f"import, checked, {language}")
    state = context.storage_state()
    weights = {"import, checked": page_weight(browser, state, checked)}
    page.goto(pages["import"])
    page.click("main form button[type=submit]")  # empty: the form with its error
    expect(page.locator("#errors")).to_be_visible()
    assert_accessible(page, f"import with an error, {language}")
    page.goto(checked)
    page.click("main form.decide button[name=confirm]")
    pages["import, done"] = page.url
    page.goto(pages["notices"])
    sent = page.locator("ul a[href*='/desk/notices/']")
    if sent.count():
        pages["notice"] = site.url + sent.first.get_attribute("href")
    else:  # run alone: send one, to see its page
        page.click("main form.card button[type=submit]")
        pages["notice"] = page.url
    page.goto(pages["team"])
    colleague = f"axe-colleague{n}@example.org"
    page.fill("input[name=email]", colleague)
    page.check("input[name=role][value=editor]")
    page.click("main form button[type=submit] >> nth=0")
    expect(page.locator("#messages")).to_be_visible()
    assert_accessible(page, f"team, after giving a role, {language}")
    link = link_in(site.messages_to(colleague)[0], "/set-password/")
    for label, url in pages.items():
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        assert_accessible(page, f"{label}, {language}")
        weights[label] = page_weight(browser, state, url)
        shot(page, f"axe-{label}", language, 1280)
    anonymous = browser.new_context(bypass_csp=True)
    outside = anonymous.new_page()
    outside.goto(link)
    expect(outside.locator("input[name=new_password1]")).to_be_visible()
    assert_accessible(outside, f"set password, {language}")
    outside.fill("input[name=new_password1]", "x")
    outside.click("main form button[type=submit]")
    expect(outside.locator("#errors")).to_be_visible()
    assert_accessible(outside, f"set password with an error, {language}")
    outside.goto(f"{site.url}/{language}/desk/sign-in/")
    assert_accessible(outside, f"sign in, {language}")
    weights["sign in"] = page_weight(browser, {}, outside.url)
    anonymous.close()
    context.close()
    record_figures("desk", {f"page weight in bytes, {language}": weights})
