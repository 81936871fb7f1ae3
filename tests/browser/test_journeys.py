"""What a reader, a signer, an individual and an organizer do, in a real browser, with
JavaScript on and off."""

import itertools
import re

import pytest

from tests.browser.conftest import ORGANIZER

pytestmark = pytest.mark.browser

STATEMENT = "/en/statements/aleppo-strike-2016/"
counter = itertools.count(1)


def link_in(message, part: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(url for url in re.findall(r"http://\S+", text) if part in url)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def page(request, browser):
    context = browser.new_context(java_script_enabled=request.param)
    yield context.new_page()
    context.close()


def test_a_reader_reads_the_demo_in_both_languages_and_switches(site, page):
    page.goto(site.url + "/")
    assert re.search(r"/(en|ar)/$", page.url)
    page.goto(site.url + STATEMENT)
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "National day of strike for Aleppo" in page.locator("h1").inner_text()
    assert page.locator("ol.demands > li").count() == 3
    assert page.locator("ol.signatories > li").count() == 40
    page.click("nav.languages a[hreflang=ar]")
    assert page.url.endswith("/ar/statements/aleppo-strike-2016/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "حلب" in page.locator("h1").inner_text()
    assert page.locator("ol.signatories > li").count() == 40
    page.click("nav.languages a[hreflang=en]")
    assert page.url.endswith(STATEMENT)


def approve_in_admin(site, page, name: str) -> None:
    page.goto(site.url + "/admin/login/?next=/admin/signatures/signon/")
    if page.locator("input[name=username]").count():
        page.fill("input[name=username]", ORGANIZER[0])
        page.fill("input[name=password]", ORGANIZER[1])
        page.click("input[type=submit], button[type=submit]")
    row = page.locator("#result_list tbody tr", has_text=name)
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index], input[name=index]")
    assert "1 sign-on approved." in page.content()


def test_an_organization_signs_on_confirms_is_approved_listed_and_withdraws(site, page):
    n = next(counter)
    name, email = f"Browser Relief {n}", f"director{n}@browser-relief.org"
    page.goto(site.url + STATEMENT)
    page.click("a.button[href$='/sign/']")
    page.fill("input[name=name_en]", name)
    page.fill("input[name=country]", "Syria")
    page.fill("input[name=contact_name]", "Rima")
    page.fill("input[name=contact_email]", email)
    page.fill("input[name=contact_role]", "Director")
    page.check("input[name=pauses_work]")
    page.check("input[name=consent]")
    page.click("main form[method=post] button[type=submit]")
    assert page.url.endswith("/sign/sent/")

    [message] = site.messages_to(email)
    page.goto(link_in(message, "/confirm/"))
    assert "Confirm your sign-on" in page.locator("h1").inner_text()
    page.click("main form button[type=submit]")
    assert "Your e-mail address is confirmed" in page.content()

    approve_in_admin(site, page, name)
    page.goto(site.url + STATEMENT + "?q=" + name.replace(" ", "+"))
    assert page.locator("ol.signatories > li", has_text=name).count() == 1

    approval = site.messages_to(email, count=2)[1]
    page.goto(link_in(approval, "/withdraw/"))
    page.click("main form button[type=submit]")
    assert "The signature is withdrawn" in page.content()
    page.goto(site.url + STATEMENT + "?q=" + name.replace(" ", "+"))
    assert page.locator("ol.signatories > li", has_text=name).count() == 0


def test_an_individual_joins_confirms_and_withdraws(site, page):
    n = next(counter)
    email = f"person{n}@example.org"
    page.goto(site.url + STATEMENT)
    page.click("a.button[href$='/join/']")
    page.fill("input[name=email]", email)
    page.locator("input[name=category]").first.check()
    page.check("input[name=joins_strike]")
    page.click("main form[method=post] button[type=submit]")
    assert page.url.endswith("/join/sent/")
    [message] = site.messages_to(email)
    page.goto(link_in(message, "/pledge/confirm/"))
    page.click("main form button[type=submit]")
    assert "Your pledge is confirmed and counted." in page.content()
    page.goto(link_in(message, "/pledge/withdraw/"))
    page.click("main form button[type=submit]")
    assert "Your pledge is withdrawn" in page.content()


def test_a_keyboard_alone_can_sign_on(site, browser):
    context = browser.new_context()
    page = context.new_page()
    n = next(counter)
    email = f"keyboard{n}@keyboard-ngo.org"
    page.goto(site.url + STATEMENT.replace("/en/", "/en/") + "sign/")
    page.keyboard.press("Tab")  # the skip link
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    # Move to the first field, then type and tab through the form.
    page.locator("input[name=name_ar]").focus()
    page.keyboard.press("Tab")
    page.keyboard.type(f"Keyboard Org {n}")  # name_en
    page.keyboard.press("Tab")
    page.keyboard.type("Syria")
    for value in ("", "", "Rima", email, "Director"):  # city, website, name, e-mail, role
        page.keyboard.press("Tab")
        if value:
            page.keyboard.type(value)
    page.keyboard.press("Tab")  # the listing radios: "by name" is already chosen
    page.keyboard.press("Tab")  # pauses work
    page.keyboard.press("Tab")  # consent
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the submit button (the honeypot takes no focus)
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign/sent/")
    assert site.messages_to(email)
    context.close()
