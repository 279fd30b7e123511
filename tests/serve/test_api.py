"""The scoring service as the site and the CRM call it: answers, refusals, and the same numbers as the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from oneclick.cli import app as cli
from oneclick.layout import FEATURES_FILE, MODEL_DIR
from oneclick.store import reading

runner = CliRunner()


def _sent(run_dir: Path, n: int | None = None) -> list[dict[str, Any]]:
    """Customers of the run's feature table as a caller sends them: every column but the label."""
    table = pd.read_parquet(run_dir / FEATURES_FILE).drop(columns=["declined"])
    return json.loads((table if n is None else table.head(n)).to_json(orient="records"))


def _stored(store: Path, sql: str) -> pd.DataFrame:
    with reading(store) as connection:
        return connection.execute(sql).df()


def test_one_customer_gets_probability_drivers_segment_and_offer(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    customer = _sent(served_run[1], 1)[0]
    answer = client.post("/v1/score", json=customer, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    (scored,) = body["customers"]
    assert scored["customer_id"] == customer["customer_id"]
    assert 0 <= scored["decline_probability"] <= 1
    assert len(scored["drivers"]) == 3 and all(d["text"] and d["group"] for d in scored["drivers"])
    assert scored["primary_segment"] and scored["risk_profit_cell"]
    stored = _stored(served_run[0], f"SELECT * FROM run_offers WHERE customer_id = {customer['customer_id']}").iloc[0]
    assert scored["primary_segment"] == stored["primary_segment"]
    assert scored["risk_profit_cell"] == stored["risk_profit_cell"]
    assert (scored["offer"] or {}).get("offer", "no_offer") == stored["offer"]


def test_the_service_and_oneclick_score_give_the_same_probabilities(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path], tmp_path: Path
) -> None:
    store, run_dir = served_run
    data_dir = _stored(store, "SELECT data_dir FROM runs")["data_dir"].iloc[0]
    out = tmp_path / "scores.csv"
    result = runner.invoke(cli, ["score", data_dir, "--model", str(run_dir / MODEL_DIR), "--out", str(out)])
    assert result.exit_code == 0, result.output
    by_cli = pd.read_csv(out).set_index("customer_id")["decline_probability"]
    answer = client.post("/v1/score", json=_sent(run_dir), headers=headers)
    assert answer.status_code == 200, answer.text
    by_service = pd.Series(
        {c["customer_id"]: c["decline_probability"] for c in answer.json()["customers"]}, name="decline_probability"
    )
    assert len(by_service) == len(by_cli) > 300
    pd.testing.assert_series_equal(by_service.sort_index(), by_cli.sort_index(), check_names=False, atol=1e-6)


def test_segments_and_offers_of_sent_customers_are_those_of_the_run(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    store, run_dir = served_run
    answer = client.post("/v1/score", json=_sent(run_dir), headers=headers).json()["customers"]
    stored = _stored(store, "SELECT * FROM run_offers").set_index("customer_id")
    for scored in answer:
        row = stored.loc[scored["customer_id"]]
        assert scored["primary_segment"] == row["primary_segment"]
        assert ";".join(scored["segments"]) == (row["segments"] or "")
        offer = scored["offer"]
        assert (offer["offer"] if offer else "no_offer") == row["offer"]
        if offer:
            assert offer["expected_saved_profit"] == pytest.approx(row["expected_saved_profit"], abs=1e-6)


def test_derived_features_are_computed_when_absent_and_checked_when_sent(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    customer = _sent(served_run[1], 1)[0]
    full = client.post("/v1/score", json=customer, headers=headers).json()["customers"][0]
    without = {k: v for k, v in customer.items() if k not in ("revenue_change", "minutes_change")}
    assert client.post("/v1/score", json=without, headers=headers).json()["customers"][0] == full
    wrong = customer | {"revenue_change": customer["revenue_change"] + 100}
    refused = client.post("/v1/score", json=wrong, headers=headers)
    assert refused.status_code == 422
    assert "revenue_change" in refused.json()["detail"]


def test_without_profit_there_is_a_probability_but_no_offer(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    customer = {k: v for k, v in _sent(served_run[1], 1)[0].items() if k not in ("profit", "customer_id")}
    scored = client.post("/v1/score", json=customer, headers=headers).json()["customers"][0]
    assert scored["customer_id"] is None and 0 <= scored["decline_probability"] <= 1
    assert scored["offer"] is None and scored["profit_at_risk"] is None and scored["risk_profit_cell"] is None


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"pages_per_visit": -1}, "pages_per_visit", "greater than or equal to 0"),
        ({"promo_purchase_share": 1.5}, "promo_purchase_share", "less than or equal to 1"),
        ({"favourite_category": "toys"}, "favourite_category", "kids_goods"),
        ({"minutes_current_month": 50_000}, "minutes_current_month", "44640"),
        ({"pages_per_visit": "many"}, "pages_per_visit", "valid integer"),
        ({"pages_per_visitt": 3}, "pages_per_visitt", "Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_what_was_expected(
    client: TestClient,
    headers: dict[str, str],
    served_run: tuple[Path, Path],
    change: dict[str, Any],
    field: str,
    expected: str,
) -> None:
    customer = _sent(served_run[1], 1)[0] | change
    for body, location in ((customer, ["body", field]), ([customer, customer], ["body", 1, field])):
        if isinstance(body, list):
            body = [_sent(served_run[1], 1)[0], customer]
        answer = client.post("/v1/score", json=body, headers=headers)
        assert answer.status_code == 422, answer.text
        errors = answer.json()["detail"]
        assert [e["loc"] for e in errors] == [location]
        assert expected in json.dumps(errors)


def test_a_missing_field_is_named(client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]) -> None:
    customer = _sent(served_run[1], 1)[0]
    del customer["pages_per_visit"]
    errors = client.post("/v1/score", json=customer, headers=headers).json()["detail"]
    assert [(e["loc"], e["type"]) for e in errors] == [(["body", "pages_per_visit"], "missing")]


def test_more_customers_than_the_limit_are_refused(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    customer = _sent(served_run[1], 1)[0]
    limit = client.app.state.settings.max_customers  # type: ignore[attr-defined]
    answer = client.post("/v1/score", json=[customer] * (limit + 1), headers=headers)
    assert answer.status_code in (413, 422)
    assert client.post("/v1/score", json=[], headers=headers).status_code == 422


def test_a_customer_of_the_run_reads_as_the_run_scored_them(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    stored = _stored(served_run[0], "SELECT * FROM run_scores JOIN run_offers USING (run_id, customer_id) LIMIT 1")
    row = stored.iloc[0]
    body = client.get(f"/v1/customers/{int(row['customer_id'])}", headers=headers).json()
    assert body["decline_probability"] == pytest.approx(row["decline_probability"])
    assert body["offer"] == (None if row["offer"] == "no_offer" else row["offer"])
    groups = {g["group"]: g["contribution"] for g in body["drivers_by_group"]}
    assert set(groups) == {"communication", "product", "purchase", "site"}
    contributions = row[[c for c in row.index if c.startswith("contribution_")]]
    assert sum(groups.values()) == pytest.approx(float(contributions.sum()), abs=1e-3)
    assert client.get("/v1/customers/999999999", headers=headers).status_code == 404


def test_segments_campaign_and_runs_come_from_the_store(
    client: TestClient, headers: dict[str, str], served_run: tuple[Path, Path]
) -> None:
    store = served_run[0]
    segments = client.get("/v1/segments", headers=headers).json()["rows"]
    assert {s["segment"] for s in segments} == set(_stored(store, "SELECT segment FROM run_segments")["segment"])
    at_risk = [s["profit_at_risk"] for s in segments]
    assert at_risk == sorted(at_risk, reverse=True)
    unlimited = client.get("/v1/campaign", headers=headers).json()
    offers = _stored(
        store, "SELECT sum(campaign_expected_saved_profit) AS saved, count(*) FILTER (in_campaign) AS n FROM run_offers"
    ).iloc[0]
    # the run's campaign had a budget of 4; without one every customer worth an offer gets it
    assert unlimited["plan"]["expected_saved_profit"] >= offers["saved"] - 1e-6
    at_four = client.get("/v1/campaign", params={"budget": 4.0}, headers=headers).json()
    assert at_four["plan"]["spent"] <= 4.0 + 1e-9
    assert at_four["plan"]["expected_saved_profit"] == pytest.approx(float(offers["saved"]), rel=1e-6)
    assert sum(s["n_customers"] for s in at_four["by_segment"]) == at_four["plan"]["n_customers"] == offers["n"]
    assert len(at_four["profit_curve"]) >= 2
    assert client.get("/v1/campaign", params={"budget": -1}, headers=headers).status_code == 422
    runs = client.get("/v1/runs", headers=headers).json()["rows"]
    assert [r["run_id"] for r in runs] == list(_stored(store, "SELECT run_id FROM runs")["run_id"])
    assert runs[0]["holdout_roc_auc"] > 0.5 and runs[0]["is_champion_run"]


def test_each_scoring_request_is_logged_to_the_store(store: Path, served_run: tuple[Path, Path]) -> None:
    from oneclick.serve import ServiceSettings, create_app, key_id
    from serve_keys import KEY

    settings = ServiceSettings(store=store, api_keys=(KEY,), refresh_seconds=60)
    customers = _sent(served_run[1], 3)
    started = datetime.now(UTC).replace(tzinfo=None)  # the store's copy holds other tests' requests
    with TestClient(create_app(settings)) as service:
        service.post("/v1/score", json=customers, headers={"X-API-Key": KEY})
        service.post("/v1/score", json=customers[0], headers={"X-API-Key": KEY})
        service.post("/v1/score", json={"pages_per_visit": -1}, headers={"X-API-Key": KEY})
    logged = _stored(
        store,
        "SELECT key_id, n_customers, latency_ms, status FROM score_requests "
        f"WHERE requested_at >= '{started.isoformat()}' ORDER BY requested_at",
    )
    assert logged["key_id"].tolist() == [key_id(KEY)] * 3
    assert logged["n_customers"].tolist() == [3, 1, 0]
    assert logged["status"].tolist() == [200, 200, 422]
    assert (logged["latency_ms"].iloc[:2] > 0).all()
    assert KEY not in json.dumps(logged.astype(str).to_dict())
