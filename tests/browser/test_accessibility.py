"""Every public page and form, in Arabic and English, checked by axe-core as a screen-reader
or keyboard user would meet it; errors tied to their fields; a sign-on with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, link_in
from tests.conftest import require

pytestmark = pytest.mark.browser

STATEMENT_PAGES = {
    "home": "/{language}/",
    "statement": "/{language}/statements/aleppo-strike-2016/",
    "timeline": "/{language}/statements/aleppo-strike-2016/timeline/",
    "versions": "/{language}/statements/aleppo-strike-2016/versions/",
    "press kit": "/{language}/statements/aleppo-strike-2016/press/",
    "card": "/{language}/statements/aleppo-strike-2016/card/",
    "sign-on form": "/{language}/statements/aleppo-strike-2016/sign/",
    "join form": "/{language}/statements/aleppo-strike-2016/join/",
    "check your e-mail": "/{language}/statements/aleppo-strike-2016/sign/sent/",
    "resend": "/{language}/statements/aleppo-strike-2016/sign/resend/",
}
FORMS_WITH_ERRORS = {
    "sign-on form with errors": ("/{language}/statements/aleppo-strike-2016/sign/"),
    "join form with errors": ("/{language}/statements/aleppo-strike-2016/join/"),
}
LINK_PAGES = ["confirm", "withdraw", "pledge confirm", "pledge withdraw"]


@pytest.fixture(scope="module")
def axe_page(browser):
    """A page whose Content-Security-Policy is bypassed, so that axe can be injected: the
    site's policy rightly refuses any script it did not serve."""
    if not AXE.exists():
        require("REQUIRE_BROWSER", f"axe-core is not installed at {AXE}: run `npm ci`")
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def links(site, axe_page):
    """The links of a real sign-on's and a real pledge's e-mails, in the path form /en/…"""
    page = axe_page
    n = site.unique()
    email = f"axe{n}@axe-check.org"
    page.goto(site.statement("en", "sign/"))
    page.fill("input[name=name_en]", f"Accessible Futures {n}")
    page.fill("input[name=country]", "Lebanon")
    page.fill("input[name=contact_name]", "Nour")
    page.fill("input[name=contact_email]", email)
    page.fill("input[name=contact_role]", "Coordinator")
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile("/sign/sent/$"))
    page.goto(site.statement("en", "join/"))
    page.fill("input[name=email]", f"pledge-{email}")
    page.locator("input[name=category]").first.check()
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile("/join/sent/$"))
    [signon] = site.messages_to(email)
    [pledge] = site.messages_to(f"pledge-{email}")
    found = {
        "confirm": link_in(signon, "/confirm/"),
        "withdraw": link_in(signon, "/withdraw/"),
        "pledge confirm": link_in(pledge, "/pledge/confirm/"),
        "pledge withdraw": link_in(pledge, "/pledge/withdraw/"),
    }
    return {name: url.removeprefix(site.url) for name, url in found.items()}


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=AXE)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [
                {
                    "target": node["target"],
                    "html": node["html"][:200],
                    "why": node["failureSummary"],
                }
                for node in violation["nodes"][:5]
            ],
        }
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page, label: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{label} ({page.url}): " + "\n".join(
        f"\n[{v['impact']}] {v['rule']}: {v['help']}\n"
        + "\n".join(f"  {w['target']}: {w['html']}\n    {w['why']}" for w in v["where"])
        for v in violations
    )


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", STATEMENT_PAGES)
def test_public_pages_have_no_serious_accessibility_violation(site, axe_page, name, language):
    axe_page.goto(site.url + STATEMENT_PAGES[name].format(language=language))
    assert_accessible(axe_page, f"{name}, {language}")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", LINK_PAGES)
def test_pages_reached_from_the_emails_have_no_serious_accessibility_violation(
    site, axe_page, links, name, language
):
    axe_page.goto(site.url + links[name].replace("/en/", f"/{language}/", 1))
    expect(axe_page.locator("main form button[type=submit]")).to_have_count(1)
    assert_accessible(axe_page, f"{name}, {language}")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", FORMS_WITH_ERRORS)
def test_forms_sent_empty_show_errors_tied_to_their_fields(site, axe_page, name, language):
    page = axe_page
    page.goto(site.url + FORMS_WITH_ERRORS[name].format(language=language))
    page.click("main form button[type=submit]")
    expect(page.locator("#errors")).to_be_visible()
    assert_accessible(page, f"{name}, {language}")
    fields = page.evaluate(
        """() => [...document.querySelectorAll('main .field.invalid')].map(field => {
            const errors = field.querySelector('ul.error');
            const control = field.querySelector('fieldset') || field.querySelector('input');
            const described = (control.getAttribute('aria-describedby') || '').split(' ');
            const input = field.querySelector('input');
            return {name: input.name, errors: errors && errors.id, described,
                    invalid: input.getAttribute('aria-invalid')};
        })"""
    )
    assert fields, "no field is marked as invalid"
    for field in fields:
        assert field["errors"] and field["errors"] in field["described"], field
        assert field["invalid"] == "true", field


def test_an_organization_can_sign_on_with_the_keyboard_alone(site, browser):
    context = browser.new_context()
    page = context.new_page()
    n = site.unique()
    email = f"keyboard{n}@keyboard-union.org"
    page.goto(site.statement("en", "sign/"))

    def focused() -> str:
        return page.evaluate(
            "document.activeElement.name || document.activeElement.className"
            " || document.activeElement.tagName"
        )

    page.keyboard.press("Tab")
    assert focused() == "skip"
    page.keyboard.press("Enter")  # to the content: the next Tab starts inside <main>
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('p.back') !== null")
    typed = {
        "name_ar": "",
        "name_en": f"Keyboard Workers Union {n}",
        "country": "Jordan",
        "city": "",
        "website": "",
        "contact_name": "Sami",
        "contact_email": email,
        "contact_role": "Secretary",
    }
    for name, value in typed.items():
        page.keyboard.press("Tab")
        assert focused() == name
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    assert focused() == "listing"  # one stop for the group; "by name" is already chosen
    page.keyboard.press("Tab")
    assert focused() == "pauses_work"
    page.keyboard.press("Tab")
    assert focused() == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the honeypot takes no focus
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/sign/sent/(#main)?$"))  # the skip link's #main
    [message] = site.messages_to(email)
    body = message.get_body(("plain",)).get_content()
    # The confirmation carries the link and no name: it goes to whatever address was typed.
    assert "/confirm/" in body and f"Keyboard Workers Union {n}" not in body
    context.close()
