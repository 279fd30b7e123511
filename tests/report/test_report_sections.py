"""Sections 4-8 show what the run's files say: metrics.json, the holdout predictions, scores.csv,
segments.csv, offers.csv, profit_curve.csv and offers_summary.json of the same run."""

from __future__ import annotations

import base64
import html as html_text
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from oneclick.offers.catalogue import NO_OFFER
from oneclick.report import build_summary, names
from oneclick.report.i18n import integer, money, number, percent
from oneclick.report.sections import conclusions

LANGS = ["ru", "en"]


def _section(page: str, key: str) -> str:
    start = page.index(f'id="s-{key}"')
    return page[start : page.index("</section>", start)]


def _table(fragment: str, title: str) -> list[list[str]]:
    """The body rows of the table under the heading ``title``, as text."""
    start = fragment.index(f"<h3>{html_text.escape(title, quote=True)}</h3>")
    body = fragment[start : fragment.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)
    cells = [[html_text.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, flags=re.DOTALL)] for row in rows]
    return [row for row in cells if row]


def _text(fragment: str) -> str:
    return html_text.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _svgs(fragment: str) -> str:
    return "".join(
        base64.b64decode(uri).decode() for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', fragment)
    )


@pytest.fixture(scope="module")
def metrics(synth_run: Path) -> dict[str, Any]:
    return json.loads((synth_run / "model" / "metrics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def offers_csv(synth_run: Path) -> pd.DataFrame:
    return pd.read_csv(synth_run / "offers.csv")


@pytest.fixture(scope="module")
def segments_csv(synth_run: Path) -> pd.DataFrame:
    return pd.read_csv(synth_run / "segments.csv")


@pytest.fixture(scope="module")
def overview(synth_run: Path) -> dict[str, Any]:
    return json.loads((synth_run / "offers_summary.json").read_text(encoding="utf-8"))


# Section 4: model


@pytest.mark.parametrize("lang", LANGS)
def test_model_shows_the_holdout_roc_auc_of_metrics_json_against_the_published_range(
    synth_html: dict[str, str], metrics: dict[str, Any], lang: str
) -> None:
    section = _section(synth_html[lang], "model")
    lead = _text(section[: section.index("<figure")])
    auc = number(round(metrics["holdout"]["roc_auc"], 3), lang, 3)
    assert auc in lead
    published = "0,89–0,917" if lang == "ru" else "0.89 to 0.917"
    assert published in lead
    # The leaderboard chart shades the published range and says so in its legend.
    assert ("0,89–0,917" if lang == "ru" else "0.89–0.917") in _svgs(section)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", "переобученный на всех {n} покупателях"), ("en", "refit on all {n} labelled customers")],
)
def test_model_says_its_figures_describe_the_procedure_and_the_saved_model_is_refit(
    synth_html: dict[str, str], metrics: dict[str, Any], lang: str, words: str
) -> None:
    section = _section(synth_html[lang], "model")
    lead = _text(section[: section.index("<figure")])
    assert words.format(n=integer(metrics["refit"]["n_customers"], lang)) in lead


def test_leaderboard_table_equals_metrics_json(synth_html: dict[str, str], metrics: dict[str, Any]) -> None:
    rows = _table(_section(synth_html["en"], "model"), "Leaderboard")
    shown = {(row[1], row[2], row[3]) for row in rows}
    expected = {
        (
            f"{number(entry['cv_roc_auc_mean'], 'en', 3)} ± {number(entry['cv_roc_auc_std'], 'en', 3)}",
            number(entry["holdout_roc_auc"], "en", 3),
            number(entry["fit_seconds"], "en", 2),
        )
        for entry in metrics["leaderboard"]
    }
    assert shown == expected
    chosen = [row[0] for row in rows if row[0].endswith("— chosen")]
    assert chosen == [f"{names.family(metrics['best_model'], 'en')} — chosen"]


def test_holdout_predictions_agree_with_metrics_json(synth_summary: dict[str, Any], metrics: dict[str, Any]) -> None:
    curves, holdout = synth_summary["model"]["curves"], metrics["holdout"]
    assert curves["n_customers"] == holdout["n_customers"] == metrics["n_customers"]["holdout"]
    assert curves["roc_auc"] == pytest.approx(holdout["roc_auc"], abs=1e-6)
    assert curves["pr_auc"] == pytest.approx(holdout["pr_auc"], abs=1e-6)
    cells = curves["confusion"]
    tp, fp, fn = cells["tp"], cells["fp"], cells["fn"]
    assert sum(cells.values()) == curves["n_customers"]
    assert tp / (tp + fp) == pytest.approx(holdout["precision"], abs=1e-6)
    assert tp / (tp + fn) == pytest.approx(holdout["recall"], abs=1e-6)
    assert 2 * tp / (2 * tp + fp + fn) == pytest.approx(holdout["f1"], abs=1e-6)


# Section 5: explanation


def test_group_importance_and_feature_order_agree_with_metrics_json(
    synth_summary: dict[str, Any], metrics: dict[str, Any]
) -> None:
    explanation = synth_summary["explanation"]
    expected = {row["group"]: row["mean_abs_contribution"] for row in metrics["importance"]["groups"]}
    assert explanation["groups"] == pytest.approx(expected, abs=1e-4)
    features = [row["feature"] for row in metrics["importance"]["features"]]
    assert [row["feature"] for row in explanation["swarm"]] == features[:12]


def test_example_customers_are_picked_and_described_from_the_run(
    synth_run: Path, synth_summary: dict[str, Any], synth_html: dict[str, str], overview: dict[str, Any]
) -> None:
    scores = pd.read_csv(synth_run / "scores.csv", index_col="customer_id")
    profit = pd.read_parquet(synth_run / "customer_features.parquet").set_index("customer_id")["profit"]
    offers = pd.read_csv(synth_run / "offers.csv", index_col="customer_id")
    examples = {example["who"]: example for example in synth_summary["explanation"]["examples"]}
    profitable = scores.loc[profit[profit >= overview["thresholds"]["high_profit"]].index, "decline_probability"]
    assert examples["at_risk"]["decline_probability"] == profitable.max()
    assert examples["low"]["decline_probability"] < examples["median"]["decline_probability"]
    for example in examples.values():
        customer = example["customer_id"]
        assert [d["feature"] for d in example["drivers"]] == [
            scores.loc[customer, f"driver_{k}_feature"] for k in (1, 2, 3)
        ]
        assert example["offer"] == offers.loc[customer, "offer"]
        assert example["segment"] == offers.loc[customer, "primary_segment"]
    rows = _table(_section(synth_html["en"], "explanation"), "Three customers: drivers and offer")
    assert [int(row[1]) for row in rows] == [example["customer_id"] for example in examples.values()]


# Section 6: segments


@pytest.mark.parametrize("lang", LANGS)
def test_each_named_segment_shows_the_size_and_profit_at_risk_of_segments_csv(
    synth_html: dict[str, str], synth_summary: dict[str, Any], segments_csv: pd.DataFrame, lang: str
) -> None:
    title = "Профиль именованных сегментов против остальных" if lang == "ru" else "The named segments against the rest"
    rows = {row[0]: row for row in _table(_section(synth_html[lang], "segments"), title)}
    titles = synth_summary["segments"]["titles"]["segments"]
    named = segments_csv[segments_csv["kind"] == "named"]
    assert len(rows) == len(named) == 5
    for segment in named.itertuples():
        row = rows[names.title(titles, segment.segment, lang)]
        assert row[1] == f"{integer(segment.n_customers, lang)} ({percent(segment.share_of_customers, lang, 0)})"
        at_risk = f"{number(segment.profit_at_risk, lang, 1)} ({percent(segment.share_of_profit_at_risk, lang, 0)})"
        assert row[5] == at_risk


def test_segment_map_and_thresholds_agree_with_offers_csv(
    synth_summary: dict[str, Any], offers_csv: pd.DataFrame, overview: dict[str, Any]
) -> None:
    section = synth_summary["segments"]
    assert section["thresholds"] == overview["thresholds"]
    points = pd.Series(section["map"]["primary_segment"])
    assert points.value_counts().to_dict() == offers_csv["primary_segment"].value_counts().to_dict()
    assert section["profit_at_risk"] == pytest.approx(overview["profit_at_risk"])


# Section 7: offers and campaign


@pytest.mark.parametrize("lang", LANGS)
def test_top_customers_are_the_top_of_offers_csv_by_expected_saved_profit(
    synth_html: dict[str, str], synth_summary: dict[str, Any], offers_csv: pd.DataFrame, lang: str
) -> None:
    title = (
        "10 покупателей с наибольшей ожидаемой сохранённой прибылью"
        if lang == "ru"
        else "The 10 customers with the largest expected saved profit"
    )
    rows = _table(_section(synth_html[lang], "offers"), title)
    expected = offers_csv.sort_values("expected_saved_profit", ascending=False).head(10)
    assert [int(row[1]) for row in rows] == expected["customer_id"].tolist()
    assert expected["offer"].ne(NO_OFFER).all()
    titles = synth_summary["offers"]["titles"]
    for row, customer in zip(rows, expected.itertuples(), strict=True):
        assert row[2] == names.title(titles["segments"], customer.primary_segment, lang)
        assert row[3] == percent(customer.decline_probability, lang, 0)
        assert row[4] == number(customer.profit, lang, 2)
        assert row[5] == names.title(titles["offers"], customer.offer, lang)
        assert row[7] == number(customer.expected_saved_profit, lang, 2)
        if lang == "ru":  # the run's language: the drivers as offers.csv words them
            drivers = customer.risk_drivers
            assert row[8] == drivers[:1].upper() + drivers[1:]
        else:  # told again in English from the customer's features
            assert not re.search("[а-яА-Я]", row[8]), row[8]


def test_offers_and_campaign_agree_with_the_run_files(
    synth_run: Path, synth_summary: dict[str, Any], overview: dict[str, Any], offers_csv: pd.DataFrame
) -> None:
    section = synth_summary["offers"]
    assert section["by_segment"] == overview["offer_mix_by_primary_segment"]
    assert section["expected_saved_profit"] == pytest.approx(overview["offers"]["expected_saved_profit"])
    curve = pd.read_csv(synth_run / "profit_curve.csv")
    assert section["curve"]["expected_saved_profit"] == pytest.approx(curve["expected_saved_profit"].tolist())
    campaign = section["campaign"]
    budget = json.loads((synth_run / "run.json").read_text(encoding="utf-8"))["settings"]["campaign_budget"]
    assert budget > 0 and campaign["budget"] == budget and campaign["spent"] <= budget
    assert campaign["n_customers"] == int(offers_csv["in_campaign"].sum())
    assert set(offers_csv["offer"]) <= {row["offer"] for row in section["offers"]}
    for row in section["offers"]:
        assert row["n_customers"] == int((offers_csv["offer"] == row["offer"]).sum()), row["offer"]


# Section 8: conclusions


@pytest.mark.parametrize("lang", LANGS)
def test_conclusions_start_with_the_segment_with_most_profit_at_risk(
    synth_html: dict[str, str], synth_summary: dict[str, Any], segments_csv: pd.DataFrame, lang: str
) -> None:
    named = segments_csv[segments_csv["kind"] == "named"]
    first = named.loc[named["profit_at_risk"].idxmax()]
    title = names.title(synth_summary["segments"]["titles"]["segments"], first["segment"], lang)
    sentences = re.findall(r"<li>(.*?)</li>", _section(synth_html[lang], "conclusions"), flags=re.DOTALL)
    opening = html_text.unescape(sentences[0])
    start = "Начинать стоит с сегмента" if lang == "ru" else "Start with the segment"
    assert opening.startswith(f"{start} «{title}»")
    assert integer(first["n_customers"], lang) in opening
    assert money(first["profit_at_risk"], lang, 1, per_month=True) in opening


def test_conclusions_follow_the_segments_of_the_run(run_copy: Path, synth_summary: dict[str, Any]) -> None:
    path = run_copy / "segments.csv"
    table = pd.read_csv(path)
    named = table["kind"] == "named"
    smallest = table.loc[named, "profit_at_risk"].idxmin()
    table.loc[smallest, "profit_at_risk"] = table["profit_at_risk"].max() + 1
    table.to_csv(path, index=False)
    findings = build_summary(run_copy)["conclusions"]["findings"]
    assert findings[0]["key"] == "segment_first"
    assert findings[0]["values"]["segment"] == table.loc[smallest, "segment"]
    before = synth_summary["conclusions"]["findings"][0]["values"]["segment"]
    assert before != table.loc[smallest, "segment"]
    assert conclusions.view({"findings": findings[:1]}, "en")["sentences"][0].startswith("Start with the segment")


def test_model_without_holdout_predictions_says_which_file_is_missing(run_copy: Path) -> None:
    from oneclick.report.sections import model

    (run_copy / "model" / "holdout_predictions.csv").unlink()
    summary = build_summary(run_copy)
    assert summary["model"]["curves"] is None
    shown = model.view(summary["model"], "en")
    assert shown["curves"] is None and shown["board"] is not None
    assert "model/holdout_predictions.csv" in shown["note"]
    assert "Brier score" in shown["calibration"].reading
