"""What a reader, an organization, an individual and an organizer do, in a real browser,
with JavaScript on and off: the site must work the same without it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ORGANIZER, link_in

pytestmark = pytest.mark.browser


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def page(request, browser):
    context = browser.new_context(java_script_enabled=request.param)
    yield context.new_page()
    context.close()


def signed_count(page) -> int:
    return int(page.locator("section.signing > p.count strong").inner_text())


def listed(site, page, name: str) -> bool:
    page.goto(site.statement("en") + "?q=" + name.replace(" ", "+"))
    return page.locator("ol.signatories > li", has_text=name).count() == 1


def test_a_reader_reads_the_statement_in_english_and_arabic_and_switches_language(site, page):
    page.goto(site.url + "/")
    assert re.search(r"/(en|ar)/$", page.url)
    page.goto(site.statement("en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "National day of strike for Aleppo"
    assert "Last night government forces stormed Eastern Aleppo" in page.inner_text("main")
    assert page.locator("ol.demands > li").count() == 3
    assert page.locator("ol.signatories > li").count() >= 40

    page.click("nav.languages a[hreflang=ar]")
    expect(page).to_have_url(site.statement("ar"))
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "يوم الإضراب الوطني من أجل حلب"
    assert "اقتحمت قوات النظام حلب الشرقية" in page.inner_text("main")
    assert page.locator("ol.demands > li").count() == 3
    assert page.locator("ol.signatories > li").count() >= 40

    page.click("nav.languages a[hreflang=en]")
    expect(page).to_have_url(site.statement("en"))
    assert page.locator("html").get_attribute("dir") == "ltr"


def approve_in_the_admin(site, page, name: str) -> None:
    page.goto(site.url + "/admin/")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("input[type=submit]")
    page.get_by_role("link", name="Sign-ons").first.click()
    # The moderation list shows what awaits approval; similar names appear in other rows
    # as possible duplicates, so the row is the one whose own link carries the name.
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )
    expect(row).to_have_count(1)
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", label="Approve the selected sign-ons")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 sign-on approved.")


def test_an_organization_signs_on_confirms_by_email_is_approved_listed_and_withdraws(site, page):
    n = site.unique()
    name, email = f"Browser Relief Network {n}", f"director{n}@browser-relief.org"
    page.goto(site.statement("en"))
    before = signed_count(page)
    page.get_by_role("link", name="Sign on for your organization").click()
    page.get_by_label("Organization name in English").fill(name)
    page.get_by_label("Country").fill("Syria")
    page.get_by_label("Your name").fill("Rima")
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_label("Your role in the organization").fill("Director")
    page.get_by_label("Our organization pauses work on the strike day").check()
    page.get_by_label("I may sign for this organization").check()
    page.get_by_role("button", name="Send and confirm by e-mail").click()
    expect(page).to_have_url(re.compile("/sign/sent/$"))
    expect(page.locator("h1")).to_have_text("Check your e-mail")

    [message] = site.messages_to(email)
    page.goto(link_in(message, "/confirm/"))
    assert page.locator("h1").inner_text() == "Confirm your sign-on"
    assert name in page.inner_text("main")
    page.get_by_role("button", name="Confirm the sign-on").click()
    expect(page.locator("main")).to_contain_text("Your e-mail address is confirmed")
    assert not listed(site, page, name)

    approve_in_the_admin(site, page, name)
    assert listed(site, page, name)
    page.goto(site.statement("en"))
    assert signed_count(page) == before + 1
    approved = site.messages_to(email, count=2)[1]
    assert "approved" in approved["Subject"].lower()

    page.goto(link_in(message, "/withdraw/"))
    page.get_by_role("button", name="Withdraw the signature").click()
    expect(page.locator("main")).to_contain_text("The signature is withdrawn")
    assert not listed(site, page, name)
    page.goto(site.statement("en"))
    assert signed_count(page) == before

    # The public record still names it; the same link, later, erases the name from it.
    assert name in page.request.get(site.url + "/data/record.jsonl").text()
    page.goto(link_in(message, "/withdraw/"))
    page.get_by_role("button", name="Remove our name from the public record").click()
    expect(page.locator("main")).to_contain_text("Its name is removed from the public record")
    assert name not in page.request.get(site.url + "/data/record.jsonl").text()


def test_an_individual_joins_confirms_by_email_and_withdraws(site, page):
    n = site.unique()
    email = f"person{n}@example.org"
    page.goto(site.statement("en"))
    joined = int(page.locator("section.pledges p.count strong").inner_text())
    page.get_by_role("link", name="Join as an individual").click()
    page.get_by_label("Your e-mail address").fill(email)
    page.locator("input[name=category]").first.check()
    page.get_by_label("I join the strike day").check()
    page.get_by_role("button", name="Join and confirm by e-mail").click()
    expect(page).to_have_url(re.compile("/join/sent/$"))
    expect(page.locator("h1")).to_have_text("Check your e-mail")

    [message] = site.messages_to(email)
    page.goto(link_in(message, "/pledge/confirm/"))
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("main")).to_contain_text("Your pledge is confirmed and counted.")
    page.goto(site.statement("en"))
    # Counted, but the public figures move only at the next scheduled release, with noise.
    assert int(page.locator("section.pledges p.count strong").inner_text()) == joined
    expect(page.locator("section.pledges")).to_contain_text("the next release is on")

    page.goto(link_in(message, "/pledge/withdraw/"))
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.locator("main")).to_contain_text("Your pledge is withdrawn")
    page.goto(site.statement("en"))
    assert int(page.locator("section.pledges p.count strong").inner_text()) == joined
