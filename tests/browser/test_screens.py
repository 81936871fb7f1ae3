"""What a person notices on a phone and on a desktop, in English and in Arabic: the page fits
the screen, Arabic reads from the right, mixed-script names stay whole, focus is visible.
Screenshots go to test-artifacts/screens/ for people to look at."""

import pytest

from tests.browser.conftest import SLUG, artifacts

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/{language}/",
    "statement": f"/{{language}}/statements/{SLUG}/",
    "sign-on": f"/{{language}}/statements/{SLUG}/sign/",
}
# More pages whose Arabic text mixes in Latin names, times and codes.
ARABIC_PAGES = ["", "timeline/", "versions/", "press/", "sign/", "join/"]
SCREENS = {"phone": (360, 740), "desktop": (1280, 800)}


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("screen", SCREENS)
def test_the_pages_fit_the_screen_without_sideways_scrolling(site, browser, screen, language):
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    folder = artifacts("screens")
    for name, path in PAGES.items():
        page.goto(site.url + path.format(language=language))
        page.screenshot(path=folder / f"{name}-{language}-{width}x{height}.png", full_page=True)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} ({language}) scrolls sideways at {width} px"
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_arabic_pages_are_right_to_left_and_their_text_is_aligned_right(site, phone, name):
    phone.goto(site.url + PAGES[name].format(language="ar"))
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Each paragraph's first line starts at the right edge of its box, near the screen's.
    lines = phone.evaluate(
        """() => [...document.querySelectorAll('main p')]
            .filter(p => p.offsetParent && p.textContent.trim() && !p.closest('[dir=ltr]'))
            .map(p => {
                const range = document.createRange();
                range.selectNodeContents(p);
                const rects = [...range.getClientRects()].filter(r => r.width > 0);
                const top = Math.min(...rects.map(r => r.top));
                const first = rects.find(r => r.top === top);
                const line = rects.filter(r => (r.top + r.bottom) / 2 < first.bottom);
                const box = p.getBoundingClientRect();
                return {text: p.textContent.trim().slice(0, 40), boxRight: box.right,
                        left: Math.min(...line.map(r => r.left)),
                        right: Math.max(...line.map(r => r.right))};
            })"""
    )
    assert lines
    for line in lines:
        assert line["right"] >= line["boxRight"] - 2, f"not aligned right: {line}"
        # Within the page's margin, a framed box's padding or a list's indent from the edge.
        assert line["boxRight"] >= 360 - 64, f"far from the right edge: {line}"


def test_arabic_form_labels_sit_at_the_right_of_their_fields(site, phone):
    phone.goto(site.statement("ar", "sign/"))
    labels = phone.evaluate(
        """() => [...document.querySelectorAll('main form label')]
            .filter(label => label.offsetParent)
            .map(label => {
                const field = document.getElementById(label.htmlFor);
                const range = document.createRange();
                range.selectNodeContents(label);
                const text = range.getBoundingClientRect();
                const box = field.getBoundingClientRect();
                return {label: label.textContent.trim().slice(0, 40), type: field.type,
                        textLeft: text.left, textRight: text.right,
                        fieldLeft: box.left, fieldRight: box.right};
            })"""
    )
    assert len(labels) >= 8
    for label in labels:
        if label["type"] in ("checkbox", "radio"):
            # The box comes first, so on the right; its label reads on to the left.
            assert label["fieldLeft"] >= label["textLeft"], label
            assert label["fieldRight"] >= 360 - 40, label
        else:
            # Above a full-width field, the label starts at its right edge.
            assert abs(label["textRight"] - label["fieldRight"]) <= 4, label


def test_arabic_numbered_lists_have_their_numbers_on_the_right(site, phone):
    phone.goto(site.statement("ar"))
    lists = phone.evaluate(
        """() => [...document.querySelectorAll('main ol')].map(ol => {
                const style = getComputedStyle(ol);
                const item = ol.querySelector('li');
                const range = document.createRange();
                range.selectNodeContents(item);
                const first = range.getClientRects()[0];
                return {list: ol.className, paddingLeft: parseFloat(style.paddingLeft),
                        paddingRight: parseFloat(style.paddingRight),
                        position: style.listStylePosition, start: first.right,
                        olRight: ol.getBoundingClientRect().right};
            })"""
    )
    assert {item["list"] for item in lists} >= {"demands", "signatories"}
    for item in lists:
        assert item["paddingRight"] > item["paddingLeft"], item
        assert item["position"] == "outside", item
        # The text starts right of the centre, leaving the room for the number at its right.
        assert 180 < item["start"] < item["olRight"], item


def test_latin_names_and_numbers_in_arabic_text_are_isolated(site, phone):
    """A Latin name, a code or a signed number like +02:00 inside Arabic text is reordered
    by the bidi algorithm unless it is isolated: each must be inside a <bdi> (or an element
    with its own dir)."""
    found = {}
    for path in ("/ar/", *(site.statement("ar", rest) for rest in ARABIC_PAGES)):
        phone.goto(path if path.startswith("http") else site.url + path)
        found[phone.url] = phone.evaluate(
            """() => {
                const bad = [];
                const walker = document.createTreeWalker(document.querySelector('main'),
                                                         NodeFilter.SHOW_TEXT);
                const latinOnly = /^[^\\u0600-\\u06FF]*[A-Za-z][^\\u0600-\\u06FF]*$/;
                const signedNumber = /[+\\u2212]\\d/;
                while (walker.nextNode()) {
                    const node = walker.currentNode;
                    const text = node.textContent.trim();
                    const parent = node.parentElement;
                    if (!text || !parent.offsetParent && parent.tagName !== 'BDI') continue;
                    if (parent.closest('bdi, body [dir], script, style, option')) continue;
                    if (latinOnly.test(text) || signedNumber.test(text)) bad.push(text);
                }
                return bad;
            }"""
        )
    assert found == dict.fromkeys(found, [])
    # The demo's signatories have Latin names; each is there, isolated.
    names = phone.locator("ol.signatories > li > bdi")
    phone.goto(site.statement("ar"))
    assert names.count() >= 20
    assert names.first.inner_text().isascii()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_keyboard_focus_is_visible(site, phone, language):
    phone.goto(site.statement(language))
    seen = []
    for _ in range(4):
        phone.keyboard.press("Tab")
        focused = phone.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                const box = element.getBoundingClientRect();
                return {tag: element.tagName, text: element.textContent.trim(),
                        style: style.outlineStyle, width: style.outlineWidth,
                        visible: box.width > 0 && box.height > 0 && box.right > 0
                                 && box.left < window.innerWidth};
            }"""
        )
        seen.append(focused)
        assert focused["tag"] in ("A", "BUTTON", "INPUT"), seen
        assert focused["style"] != "none" and focused["width"] != "0px", focused
        assert focused["visible"], focused
    assert seen[0]["tag"] == "A"  # the skip link comes first
