"""The dashboard in a real browser, as a marketer uses it: Debian's Chromium, headless, driven by Playwright.

A uvicorn server in a thread on 127.0.0.1 (a free port) serves the test store. The walk: sign in,
read the overview, open a segment, search a customer, run a what-if, move the budget slider,
download the CSV. Every number checked is the store's (or the library's answer for it), nothing
is logged as an error, and no request leaves the server. Never downloads a browser; without
/usr/bin/chromium (see scripts/setup.sh) the test is skipped.
"""

from __future__ import annotations

import csv
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from oneclick.features import input_fields
from oneclick.report import i18n
from oneclick.report.browser import CHROMIUM, CHROMIUM_ARGS
from oneclick.serve import ServiceSettings, create_app
from oneclick.serve.campaign import campaign_at
from oneclick.serve.scoring import score_sent
from oneclick.store import reading

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason=f"{CHROMIUM} is missing: run scripts/setup.sh as root "
        "(apt-get install chromium); Playwright's own browsers are never downloaded",
    ),
]
START_SECONDS = 30
TIMEOUT_MS = 15_000
# The plan shown is the slider's: no answer pending, and the budget answered is the slider's value.
PLAN_SHOWN = """() => {
  const plan = document.getElementById("plan");
  return !plan.dataset.pending && Number(plan.dataset.budget) === Number(document.getElementById("budget").value);
}"""


@pytest.fixture(scope="module")
def server(service_settings: ServiceSettings) -> Iterator[tuple[str, FastAPI]]:
    """(base URL, app) of the service on 127.0.0.1 at a free port, stopped at the end."""
    app = create_app(service_settings)
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=running.run, kwargs={"sockets": [listening]}, name="dashboard-server")
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not running.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            running.should_exit = True
            pytest.fail("the dashboard's server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        running.should_exit = True
        thread.join(timeout=START_SECONDS)
        listening.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install .[dev])")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def store_rows(store: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    # The server in this process may be writing its request log at that moment: the store's own
    # reader waits for the writer, as every oneclick reader does, where a bare connect would fail.
    with reading(store) as connection:
        return connection.execute(sql, params or []).fetchall()


def test_a_marketer_walks_the_dashboard(
    browser: Any, server: tuple[str, FastAPI], service_settings: ServiceSettings, tmp_path: Path
) -> None:
    base, app = server
    store = service_settings.store
    snapshot = app.state.snapshots.current
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((f"{base}/", "data:")) else outside.append(r.url))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Sign in: the overview sends to the login, the login back to the overview.
    page.goto(f"{base}/")
    assert page.url.startswith(f"{base}/login")
    page.fill("#key", service_settings.api_keys[0])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/")
    n_customers, profit_at_risk = store_rows(store, "SELECT count(*), sum(profit_at_risk) FROM run_offers")[0]
    assert page.inner_text("#n-customers") == i18n.integer(n_customers, "ru")
    assert page.inner_text("#profit-at-risk") == i18n.money(profit_at_risk, "ru", per_month=True)

    # A segment: the one with the most profit at risk among the store's named ones.
    segment, n_members = store_rows(
        store, "SELECT segment, n_customers FROM run_segments WHERE kind = 'named' ORDER BY profit_at_risk DESC"
    )[0]
    page.click(f"#segments a[href='/segments/{segment}']")
    page.wait_for_url(f"{base}/segments/{segment}")
    title = next(rule.title["ru"] for rule in snapshot.rules.scheme.segments if rule.name == segment)
    assert page.inner_text("#segment-title") == title
    assert page.inner_text("#segment-customers") == i18n.integer(n_members, "ru")

    # A customer, by the search box: the segment's first (most profit at risk).
    customer = int(page.inner_text("#segment-customers-table tbody tr:first-child a"))
    page.fill("#search-id", str(customer))
    page.press("#search-id", "Enter")
    page.wait_for_url(f"{base}/customers/{customer}")
    stored = store_rows(store, "SELECT decline_probability FROM run_scores WHERE customer_id = ?", [customer])[0][0]
    assert page.inner_text("#probability") == i18n.percent(stored, "ru", 1)

    # The what-if: fewer promo purchases and more pages per visit.
    page.fill("#wi-promo_purchase_share", "0")
    page.fill("#wi-pages_per_visit", "20")
    page.click("#what-if button[type=submit]")
    page.wait_for_selector("#after-probability[data-value]")
    shown = float(page.get_attribute("#after-probability", "data-value") or "nan")
    row = what_if_row(store, customer, {"promo_purchase_share": 0.0, "pages_per_visit": 20})
    expected = score_sent(snapshot, [row], "ru")[0]["decline_probability"]
    assert shown == pytest.approx(expected)
    assert shown != pytest.approx(stored)
    assert page.inner_text("#after-probability") == i18n.percent(expected, "ru", 1)

    # The campaign builder: the slider to the start, then a few steps right.
    page.click("nav a[href='/campaign']")
    page.wait_for_url(f"{base}/campaign")
    before = page.get_attribute("#plan-saved", "data-value")
    page.focus("#budget")
    page.keyboard.press("Home")
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    budget = float(page.input_value("#budget"))
    page.wait_for_function(PLAN_SHOWN)
    plan = campaign_at(snapshot, budget)["plan"]
    assert page.get_attribute("#plan-saved", "data-value") != before
    assert float(page.get_attribute("#plan-saved", "data-value") or "nan") == pytest.approx(
        plan["expected_saved_profit"]
    )
    assert page.inner_text("#plan-saved") == i18n.money(plan["expected_saved_profit"], "ru", 1)
    assert page.inner_text("#plan-customers") == i18n.integer(plan["n_customers"], "ru")

    # The CSV of that plan.
    with page.expect_download() as download:
        page.click("#csv")
    saved = tmp_path / "campaign.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == plan["n_customers"]
    assert sum(float(r["expected_saved_profit"]) for r in rows) == pytest.approx(plan["expected_saved_profit"])
    assert sum(float(r["cost"]) for r in rows) <= budget + 1e-9

    # In English, from the switch.
    page.click("a.lang")
    page.wait_for_url(re.compile(r"/campaign\?(.*&)?lang=en$"))
    assert page.get_attribute("html", "lang") == "en"

    assert errors == []
    assert outside == []
    context.close()


def what_if_row(store: Path, customer: int, changes: dict[str, Any]) -> dict[str, Any]:
    """The customer's stored inputs with ``changes``, as the what-if sends them to ``score_sent``."""
    names = [f.name for f in input_fields() if not f.derived]
    columns = ", ".join(names)
    values = store_rows(store, f"SELECT {columns} FROM run_customers WHERE customer_id = ?", [customer])[0]
    return dict(zip(names, values, strict=True)) | changes
