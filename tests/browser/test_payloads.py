"""Script put into every field of a sign-on and a pledge never runs in a real browser: not on
the public pages, not in the feeds' readers, not in the organizers' admin."""

import pytest

from tests.browser.conftest import ORGANIZER, link_in

pytestmark = pytest.mark.browser

PAYLOAD = '"><img src=x onerror="window.__hit=1;alert(1)"><script>window.__hit=2</script>'


def test_payloads_in_every_field_do_not_run_anywhere(site, browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    n = site.unique()
    email = f"payload{n}@payload-ngo.org"
    name = f"Payload Org {n} {PAYLOAD}"
    page.goto(site.statement("en", "sign/"))
    for field, value in {
        "name_en": name,
        "name_ar": PAYLOAD,
        "country": PAYLOAD,
        "city": PAYLOAD,
        "website": "https://payload-ngo.org",
        "contact_name": PAYLOAD,
        "contact_email": email,
        "contact_role": PAYLOAD,
    }.items():
        page.fill(f"input[name={field}]", value)
    page.check("input[name=consent]")
    page.click("main form[method=post] button[type=submit]")
    assert page.url.endswith("/sign/sent/")
    [message] = site.messages_to(email)
    page.goto(link_in(message, "/confirm/"))
    page.click("main form button[type=submit]")

    page.goto(site.url + "/admin/login/?next=/admin/signatures/signon/")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("main [type=submit]")
    row = page.locator("#result_list tbody tr", has_text=f"Payload Org {n}")
    row.locator("a").first.click()  # the change page, with the contact data
    page.go_back()
    row = page.locator("#result_list tbody tr", has_text=f"Payload Org {n}")
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index], input[name=index]")

    for url in (
        site.statement("en"),
        site.statement("ar"),
        site.statement("en", f"?q=Payload+Org+{n}"),
        site.statement("en", "press/"),
        site.statement("en", "card/"),
        site.url + "/admin/signatures/signon/?status=all",
        site.url + "/admin/signatures/organization/",
    ):
        page.goto(url)
        assert page.evaluate("window.__hit || 0") == 0, url
        assert page.locator("img[src=x]").count() == 0, url
    assert dialogs == []
    context.close()
