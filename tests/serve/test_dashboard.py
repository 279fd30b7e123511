"""The dashboard through its routes: the login, every page in both languages, the numbers it shows.

Signed-in requests go through a client of their own (a session is a cookie; the shared ``client``
stays anonymous, so the API's tests still see a caller without a key).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from oneclick.report import i18n
from oneclick.serve import ServiceSettings, create_app
from oneclick.serve.campaign import campaign_at
from oneclick.serve.dashboard.campaign import CSV_COLUMNS
from oneclick.serve.dashboard.words import WORDS
from oneclick.store import reading, writing


def store_row(store: Path, sql: str) -> tuple[Any, ...]:
    with reading(store) as connection:
        return connection.execute(sql).fetchall()[0]


@pytest.fixture(scope="module")
def facts(served_run: tuple[Path, Path]) -> dict[str, Any]:
    """A segment, a customer and the run of the store, to name in URLs."""
    store = served_run[0]
    run_id = store_row(store, "SELECT max(run_id) FROM run_offers")[0]
    segment = store_row(store, "SELECT segment FROM run_segments WHERE kind = 'named' ORDER BY profit_at_risk DESC")[0]
    customer = store_row(store, "SELECT customer_id FROM run_offers ORDER BY profit_at_risk DESC LIMIT 1")[0]
    return {"run_id": run_id, "segment": segment, "customer": int(customer)}


@pytest.fixture(scope="module")
def key(service_settings: ServiceSettings) -> str:
    return service_settings.api_keys[0]


@pytest.fixture(scope="module")
def signed_in(service_settings: ServiceSettings, key: str) -> Iterator[TestClient]:
    with TestClient(create_app(service_settings)) as test_client:
        login(test_client, key)
        yield test_client


@pytest.fixture
def fresh(service_settings: ServiceSettings) -> Iterator[TestClient]:
    """A client with no session yet."""
    with TestClient(create_app(service_settings)) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def login(client: TestClient, key: str, next: str = "/") -> Any:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"key": key, "csrf": token, "next": next}, follow_redirects=False)


def pages(facts: dict[str, Any]) -> list[str]:
    return [
        "/",
        f"/segments/{facts['segment']}",
        f"/segments/{facts['segment']}?page=2",
        "/segments/high_risk_high_profit",
        f"/customers/{facts['customer']}",
        f"/customers/{facts['customer']}?pages_per_visit=1",
        "/campaign",
        "/campaign?budget=2",
        "/runs",
        "/campaigns",
    ]


def test_every_page_redirects_to_the_login_without_a_session(client: TestClient, facts: dict[str, Any]) -> None:
    client.cookies.clear()
    for path in [*pages(facts), f"/customers?id={facts['customer']}", f"/runs/{facts['run_id']}/report"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=/"), path
    for path in ["/campaign.json?budget=1", "/campaign.csv?budget=1", f"/customers/{facts['customer']}/what-if"]:
        assert client.get(path, follow_redirects=False).status_code == 401, path


def test_a_wrong_key_or_a_missing_token_does_not_sign_in(fresh: TestClient, key: str) -> None:
    wrong = login(fresh, "wrong-key-0123456789abcdef")
    assert wrong.status_code == 401
    assert WORDS["login_wrong"]["ru"] in wrong.text
    assert fresh.get("/", follow_redirects=False).status_code == 303
    forged = fresh.post("/login", data={"key": key, "csrf": "forged", "next": "/"}, follow_redirects=False)
    assert forged.status_code == 400
    assert fresh.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_the_login_never_redirects_to_another_site(fresh: TestClient, key: str, target: str) -> None:
    response = login(fresh, key, next=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_the_login_returns_to_the_page_asked_for_and_logout_ends_the_session(
    fresh: TestClient, key: str, facts: dict[str, Any]
) -> None:
    asked = f"/customers/{facts['customer']}"
    response = login(fresh, key, next=asked)
    assert response.headers["location"] == asked
    page = fresh.get(asked)
    assert page.status_code == 200
    assert fresh.post("/logout", data={"csrf": "forged"}, follow_redirects=False).status_code == 303
    assert fresh.get("/", follow_redirects=False).status_code == 200  # no token, no logout
    fresh.post("/logout", data={"csrf": csrf_of(page.text)})
    assert fresh.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_page_answers_in_both_languages(signed_in: TestClient, facts: dict[str, Any], lang: str) -> None:
    signed_in.get(f"/?lang={lang}")  # kept in the session from here on
    for path in pages(facts):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text, path
        assert WORDS["nav_campaign"][lang] in response.text, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        if lang == "en":  # every word from the catalogue, the run's titles or texts written again in English
            text = response.text.replace(WORDS["other_lang"]["en"], "")
            assert re.findall(r"[^<>]{0,30}[а-яА-ЯёЁ]+[^<>]{0,30}", text) == [], path
    assert WORDS["overview_title"][lang] in signed_in.get("/").text
    signed_in.get("/?lang=ru")


def test_the_overview_shows_the_stores_customers_and_profit_at_risk(
    signed_in: TestClient, served_run: tuple[Path, Path]
) -> None:
    n_customers, profit_at_risk = store_row(served_run[0], "SELECT count(*), sum(profit_at_risk) FROM run_offers")
    html = signed_in.get("/?lang=ru").text
    assert f'id="n-customers" data-value="{n_customers}">{i18n.integer(n_customers, "ru")}<' in html
    shown = re.search(r'id="profit-at-risk" data-value="([^"]+)">([^<]+)<', html)
    assert shown is not None
    assert float(shown.group(1)) == pytest.approx(profit_at_risk)
    assert shown.group(2) == i18n.money(profit_at_risk, "ru", per_month=True)
    assert html.count('href="/segments/') == store_row(served_run[0], "SELECT count(*) FROM run_segments")[0]
    assert "data:image/png;base64," in html  # the risk x profit map, inline


def test_a_segment_card_shows_its_offers_and_customers(signed_in: TestClient, facts: dict[str, Any]) -> None:
    segment = facts["segment"]
    html = signed_in.get(f"/segments/{segment}").text
    saved = re.search(r'id="segment-saved" data-value="([^"]+)"', html)
    offers = [float(v) for v in re.findall(r'<td class="num" data-value="([^"]+)">', html)]
    assert saved is not None and sum(offers) == pytest.approx(float(saved.group(1)))
    assert html.count('href="/customers/') > 0
    assert signed_in.get("/segments/no_such_segment").status_code == 404


def test_the_customer_search_and_card(signed_in: TestClient, facts: dict[str, Any]) -> None:
    customer = facts["customer"]
    found = signed_in.get(f"/customers?id={customer}", follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/customers/{customer}"
    assert signed_in.get("/customers?id=abc").status_code == 400
    assert signed_in.get("/customers/1").status_code == 404
    html = signed_in.get(f"/customers/{customer}").text
    assert 'id="what-if"' in html and 'name="pages_per_visit"' in html


def test_the_what_if_rescores_the_customer_with_the_changes(signed_in: TestClient, facts: dict[str, Any]) -> None:
    endpoint = f"/customers/{facts['customer']}/what-if"
    same = signed_in.get(endpoint).json()
    assert same["now"]["decline_probability"] == same["after"]["decline_probability"]
    moved = signed_in.get(endpoint, params={"promo_purchase_share": 0.0, "pages_per_visit": 20}).json()
    assert moved["now"]["decline_probability"] == same["now"]["decline_probability"]
    assert moved["after"]["decline_probability"] != moved["now"]["decline_probability"]
    bad = signed_in.get(endpoint, params={"promo_purchase_share": 2, "lang": "en"})
    assert bad.status_code == 422
    assert "Share of promo purchases" in bad.json()["detail"]
    signed_in.get("/?lang=ru")


def test_the_campaign_csv_is_the_plan_within_the_budget(signed_in: TestClient) -> None:
    snapshot = signed_in.app.state.snapshots.current  # type: ignore[attr-defined]
    budget = 2.5
    plan = campaign_at(snapshot, budget)["plan"]
    response = signed_in.get("/campaign.csv", params={"budget": budget, "lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == plan["n_customers"]
    assert sum(float(r["expected_saved_profit"]) for r in rows) == pytest.approx(plan["expected_saved_profit"])
    assert sum(float(r["cost"]) for r in rows) <= budget + 1e-9
    assert all(r["offer_title"] and r["offer_message"] for r in rows)
    shown = signed_in.get("/campaign.json", params={"budget": budget}).json()
    assert shown["plan"]["expected_saved_profit"] == pytest.approx(plan["expected_saved_profit"])
    assert shown["csv"].startswith("/campaign.csv?budget=")
    signed_in.get("/?lang=ru")


def test_the_csv_takes_an_api_key_too(client: TestClient, headers: dict[str, str]) -> None:
    client.cookies.clear()
    assert client.get("/campaign.csv?budget=1", headers=headers).status_code == 200
    assert client.get("/campaign.csv?budget=1", headers={"X-API-Key": "wrong-key-0123456789abcdef"}).status_code == 401


def test_bad_budgets_are_refused(signed_in: TestClient) -> None:
    for budget in ["-1", "nan", "inf", "1e13", "abc"]:
        assert signed_in.get("/campaign.json", params={"budget": budget}).status_code == 422, budget


def test_what_a_url_carries_is_escaped(signed_in: TestClient) -> None:
    response = signed_in.get("/segments/<img src=x onerror=alert(1)>")
    assert response.status_code == 404
    assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_the_runs_page_and_a_runs_report(signed_in: TestClient, facts: dict[str, Any]) -> None:
    html = signed_in.get("/runs").text
    assert facts["run_id"] in html
    assert f'href="/runs/{facts["run_id"]}/report"' in html  # the run folder can be rendered
    assert signed_in.get("/runs/no-such-run/report").status_code == 404
    assert signed_in.get("/runs/..%2F..%2Fetc%2Fpasswd/report").status_code == 404


def test_a_runs_report_file_is_served_from_its_folder_only(
    store: Path, service_settings: ServiceSettings, key: str, facts: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "report.html").write_text("<html><body><p>the run's own report</p></body></html>", encoding="utf-8")
    with writing(store) as connection:
        connection.execute("UPDATE runs SET out_dir = ?", [str(folder)])
    settings = ServiceSettings(store=store, api_keys=service_settings.api_keys)
    with TestClient(create_app(settings)) as test_client:
        login(test_client, key)
        response = test_client.get(f"/runs/{facts['run_id']}/report")
    assert response.status_code == 200
    assert "the run's own report" in response.text
    assert "sandbox" in response.headers["content-security-policy"]


@pytest.mark.slow
def test_a_run_without_a_report_file_has_it_rendered(signed_in: TestClient, facts: dict[str, Any]) -> None:
    response = signed_in.get(f"/runs/{facts['run_id']}/report?lang=en")
    assert response.status_code == 200
    assert '<html lang="en"' in response.text and "data:image/" in response.text
    signed_in.get("/?lang=ru")


def test_what_ifs_and_crm_downloads_are_logged_with_their_route(
    store: Path, served_run: tuple[Path, Path], facts: dict[str, Any]
) -> None:
    from datetime import UTC, datetime

    from oneclick.offers import load_catalogue
    from oneclick.serve import key_id
    from serve_keys import KEY

    settings = ServiceSettings(store=store, api_keys=(KEY,), refresh_seconds=60)
    started = datetime.now(UTC).replace(tzinfo=None)
    headers = {"X-API-Key": KEY}
    with TestClient(create_app(settings)) as service:
        endpoint = f"/customers/{facts['customer']}/what-if"
        assert service.get(endpoint, params={"pages_per_visit": 20}, headers=headers).status_code == 200
        assert service.get(endpoint, params={"promo_purchase_share": 2}, headers=headers).status_code == 422
        download = service.get("/campaign.csv", params={"budget": 2.5, "lang": "en"}, headers=headers)
    with reading(store) as connection:
        logged = connection.execute(
            "SELECT route, key_id, n_customers, status FROM score_requests WHERE requested_at >= ? "
            "ORDER BY requested_at",
            [started],
        ).fetchall()
    n_planned = len(download.text.strip().splitlines()) - 1
    assert logged == [
        ("/customers/{id}/what-if", key_id(KEY), 2, 200),
        ("/customers/{id}/what-if", key_id(KEY), 0, 422),
        ("/campaign.csv", key_id(KEY), n_planned, 200),
    ]
    # the CRM gets each offer's own message, not its description for the marketers
    messages = {offer.message_text("en") for offer in load_catalogue().offers}
    assert {row["offer_message"] for row in csv.DictReader(io.StringIO(download.text))} <= messages
