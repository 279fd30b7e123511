"""The report in a real browser: Debian's Chromium, headless, driven by Playwright.

Every section and chart is there and visible, nothing is logged as an error and nothing is
fetched: the page loads only itself (``file://``) and its inline ``data:`` images.
Never downloads a browser; without /usr/bin/chromium (see scripts/setup.sh) the test is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oneclick.report.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason=f"{CHROMIUM} is missing: run scripts/setup.sh as root "
        "(apt-get install chromium); Playwright's own browsers are never downloaded",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install .[dev])")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_report_opens_offline_with_every_section_and_chart(
    browser: Any,
    synth_summary: dict[str, Any],
    synth_html: dict[str, str],
    expected_charts: dict[str, int],
    tmp_path: Path,
    lang: str,
) -> None:
    report = tmp_path / f"report.{lang}.html"
    report.write_text(synth_html[lang], encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30_000)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))

    page.goto(report.as_uri(), wait_until="load")

    for entry in synth_summary["sections"]:
        section = page.locator(f"#s-{entry['key']}")
        assert section.is_visible(), entry["key"]
        assert section.get_attribute("data-status") == entry["status"]
        if entry["status"] == "ok":
            assert section.locator("figure, table, li, p.lead").count() > 0, entry["key"]
            assert section.locator("figure.chart").count() == expected_charts[entry["key"]], entry["key"]
        else:
            assert section.locator("p.missing").inner_text().strip(), entry["key"]
    links = page.locator("nav.toc a")
    assert links.count() == len(synth_summary["sections"])
    for k in range(links.count()):
        assert page.locator(links.nth(k).get_attribute("href")).count() == 1

    charts = page.locator("figure.chart")
    assert charts.count() == sum(expected_charts.values())
    for k in range(charts.count()):
        figure = charts.nth(k)
        image = figure.locator("img, svg").first
        image.scroll_into_view_if_needed()
        assert image.is_visible(), k
        box = image.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50, (k, box)
        if image.evaluate("node => node.tagName") == "IMG":
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"chart {k} did not decode"
        assert figure.locator("figcaption").inner_text().strip(), f"chart {k} has no reading"

    assert errors == []
    assert [url for url in requests if url != report.as_uri() and not url.startswith("data:")] == []
    shot = tmp_path / f"report.{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    page.close()
