"""The statement page on a slow phone connection: a first paint within 2.5 s and under 30 KB
on the wire, with an empty cache. The figures are printed ("PERF …") and written to
test-artifacts/perf.json."""

import json

import pytest

from tests.browser.conftest import record_figures

pytestmark = pytest.mark.browser

# A slow mobile connection: 400 ms round trips, 400 kbit/s down, 200 kbit/s up.
SLOW = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 25_000,
}
FCP_LIMIT_MS = 2500
TRANSFER_LIMIT_BYTES = 30 * 1024


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_statement_page_paints_quickly_and_weighs_little_on_a_slow_connection(
    site, browser, language
):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW)
    transferred: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: transferred.__setitem__(e["requestId"], e["encodedDataLength"]),
    )

    page.goto(site.statement(language), wait_until="load")
    page.wait_for_load_state("networkidle")
    fcp = page.evaluate(
        """() => new Promise(resolve => {
            const entry = performance.getEntriesByName('first-contentful-paint')[0];
            if (entry) return resolve(entry.startTime);
            new PerformanceObserver(list => resolve(list.getEntries()[0].startTime))
                .observe({type: 'paint', buffered: true});
        })"""
    )
    context.close()

    total = sum(transferred.values())
    requests = {urls.get(key, key): size for key, size in transferred.items()}
    print(
        f"\nPERF statement page ({language}): first contentful paint {fcp:.0f} ms, "
        f"{total} bytes transferred in {len(requests)} requests "
        f"(400 ms latency, 400 kbit/s down, empty cache)"
    )
    record_figures(
        "perf",
        {
            f"statement-{language}": {
                "first_contentful_paint_ms": round(fcp),
                "transferred_bytes": total,
                "requests": requests,
                "conditions": SLOW,
            }
        },
    )
    assert requests, "no request was seen"
    assert fcp < FCP_LIMIT_MS, f"first contentful paint took {fcp:.0f} ms"
    assert total < TRANSFER_LIMIT_BYTES, json.dumps(requests, indent=1)
