"""The organizer's admin forms saved by a real browser: what the test client never sends (the
hidden copies of initial values, every widget's own fields) must not break a save."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ORGANIZER

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("main [type=submit]")
    yield page
    context.close()


def test_a_statement_with_texts_in_two_languages_saves_unchanged(site, admin_page):
    page = admin_page
    page.goto(site.url + "/admin/statements/statement/")
    page.get_by_role("link", name="National day of strike for Aleppo").click()
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "Server Error" not in page.content()
    expect(page.locator("ul.messagelist li.success")).to_have_count(1)
