"""Organizers sign in with two factors in a real browser, as production requires, in Arabic
and in English: a passkey (Chromium's virtual authenticator, driven through the DevTools
protocol) or an authenticator app (the code computed from the key the page shows)."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "a-long-password-for-a-browser-organizer"
HEADINGS = {"en": "Dashboard", "ar": "لوحة العمل"}


def new_organizer(site, name: str) -> str:
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user({name!r}, password={PASSWORD!r}, is_staff=True)",
    )
    return name


def code_from(secret: str, steps_ahead: int = 0) -> str:
    key = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def phone(browser):
    """A phone-sized window that reports any script or style the page's policy refused."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.refused = []
    page.on(
        "console",
        lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()


def sign_in(page, site, language: str, username: str) -> None:
    page.goto(f"{site.url}/{language}/desk/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main [type=submit]")


def ready(page) -> None:
    """The passkey script has put its button in place and listens to it (a person who clicks
    sooner finds no button yet)."""
    page.locator("[id^=passkey-][id$=-button]").wait_for()


def fits(page) -> bool:
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_organizer_sets_up_a_passkey_at_first_sign_in_then_signs_in_with_it(
    enforced_site, phone, language
):
    site, page = enforced_site, phone
    username = new_organizer(site, f"passkey-{language}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in(page, site, language, username)
    # The desk waits for a second factor: the first sign-in sets one up.
    assert "/desk/account/second-factor/" in page.url
    assert page.locator("html").get_attribute("lang") == language
    assert fits(page)
    ready(page)
    page.click("#passkey-register-button")
    expect(page.locator("ul.devices li")).to_have_count(1)
    page.click("form:has(input[value=recovery-codes]) button")
    expect(page.locator("ol.codes li")).to_have_count(10)
    page.click("a.button[href]")
    expect(page.locator("h1")).to_have_text(HEADINGS[language])

    page.click("nav.desk button[type=submit]")  # sign out
    sign_in(page, site, language, username)
    assert "/desk/sign-in/second-factor/" in page.url
    assert fits(page)
    ready(page)
    page.click("#passkey-verification-button")
    page.wait_for_url(f"**/{language}/desk/")
    expect(page.locator("h1")).to_have_text(HEADINGS[language])
    page.goto(site.url + "/admin/")
    assert page.locator("#site-name").count() == 1, page.url
    assert page.refused == []


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_organizer_sets_up_an_authenticator_app_and_signs_in_with_its_code(
    enforced_site, phone, language
):
    site, page = enforced_site, phone
    username = new_organizer(site, f"app-{language}")
    sign_in(page, site, language, username)
    page.click("form:has(input[value=start-app]) button")
    expect(page.locator(".qr svg")).to_have_count(1)
    secret = page.locator("code.secret").inner_text()
    page.fill("input[name=code]", code_from(secret))
    page.click("form:has(input[value=confirm-app]) input[type=submit]")
    expect(page.locator("ol.codes li")).to_have_count(10)
    assert fits(page)
    page.click("a.button[href]")
    expect(page.locator("h1")).to_have_text(HEADINGS[language])

    page.click("nav.desk button[type=submit]")
    page.goto(site.url + "/admin/signatures/signon/")
    # The admin sends its sign-in to the desk, which asks for the code after the password.
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main [type=submit]")
    expect(page).to_have_url(re.compile("/desk/sign-in/second-factor/"))
    page.fill("input[name=code]", code_from(secret, steps_ahead=1))
    page.click("form input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/signatures/signon/$"))
    assert page.refused == []
