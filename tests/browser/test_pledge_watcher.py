"""The sybil watcher against the live site (the production server, its worker and a real mail
server, as `make run` has them): mailboxes join, confirm by the links they are sent and
withdraw around a target alone in a city, and every public output is read between every
step. Nothing moves before the next scheduled release (docs/threat-model.md; the same attack
on the test stack, with its variants, is tests/signatures/test_pledge_privacy.py)."""

import pytest

from tests.browser.conftest import SLUG, link_in

pytestmark = pytest.mark.browser

OUTPUTS = [
    f"/{language}/statements/{SLUG}/{rest}"
    for language in ("en", "ar")
    for rest in ("", "press/", "badge.svg", "card/", "feeds/updates.atom")
] + [
    f"/api/statements/{SLUG}/counts",
    f"/api/statements/{SLUG}",
    f"/data/{SLUG}/signatories.json",
    f"/data/{SLUG}/signatories.csv",
    "/en/",
]


def test_the_watcher_sees_no_output_move_while_sybils_and_a_target_pledge(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    def everything() -> dict[str, tuple]:
        answers = {}
        for path in OUTPUTS:
            response = page.request.get(site.url + path)
            assert response.ok, path
            answers[path] = (response.headers.get("etag"), response.body())
        return answers

    seen = everything()

    def watch() -> None:
        now = everything()
        assert [path for path in OUTPUTS if now[path] != seen[path]] == []

    def join(email: str, city: str, work_email: str = ""):
        page.goto(site.statement("en", "join/"))
        page.get_by_label("Your e-mail address").fill(email)
        page.locator("input[name=category]").nth(1).check()
        page.locator("input[name=city]").fill(city)
        page.locator("input[name=appearance][value=category]").check()
        if work_email:
            page.locator("input[name=work_email]").fill(work_email)
            page.get_by_label("I join the strike day").check()
        page.get_by_role("button", name="Join and confirm by e-mail").click()
        watch()
        [message] = site.messages_to(email)
        return message

    def follow(message, part: str, button: str) -> None:
        page.goto(link_in(message, part))
        page.get_by_role("button", name=button).click()
        watch()

    n = site.unique()
    sybils = []
    for k in range(3):
        message = join(f"sybil{n}-{k}@mailbox{k}.example", f"Manbij {n}")
        follow(message, "/pledge/confirm/", "Confirm my pledge")
        sybils.append(message)
    work_email = f"target{n}@tiny-ngo-{n}.example"
    confirm = join(f"target{n}@gmail.example", f"Manbij {n}", work_email=work_email)
    follow(confirm, "/pledge/confirm/", "Confirm my pledge")
    [work] = site.messages_to(work_email)
    follow(work, "/pledge/work/", "Confirm the work address")
    for message in sybils:
        follow(message, "/pledge/withdraw/", "Withdraw my pledge")
    follow(confirm, "/pledge/withdraw/", "Withdraw my pledge")
    context.close()
