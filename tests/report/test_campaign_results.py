"""The report's "Campaign results" section: shown from campaign_results.json, in both languages, absent without it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from campaign_results import DATA_FINGERPRINT, campaign_result
from oneclick.errors import InputDataError
from oneclick.report import build_summary, render_report


def _run(folder: Path, result: dict[str, Any] | None, fingerprint: str = DATA_FINGERPRINT) -> Path:
    """A run folder with only its record (and the campaign's results): cheap to report on."""
    folder.mkdir()
    record = {"seed": 1, "settings": {}, "inputs": {}, "data_fingerprint": fingerprint}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    if result is not None:
        (folder / "campaign_results.json").write_text(json.dumps(result), encoding="utf-8")
    return folder


def _section(html: str) -> str:
    found = re.search(r'<section id="s-campaign_results".*?</section>', html, flags=re.DOTALL)
    assert found, "no campaign results section"
    return found.group()


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    run = _run(tmp_path_factory.mktemp("campaign") / "run", campaign_result())
    summary = build_summary(run)
    return {lang: render_report(summary, lang) for lang in ("ru", "en")}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ru",
            [
                "Итоги кампании",
                "Персональный промокод на любимую категорию",
                "работает",
                "нет доказательств",
                "вредит",
                "интервал целиком выше нуля",
                "Кривая Qini",
                "Любители акций под угрозой",
            ],
        ),
        (
            "en",
            [
                "Campaign results",
                "Personal promo code on the favourite category",
                "works",
                "no evidence",
                "harms",
                "the interval lies wholly above zero",
                "Qini curve",
            ],
        ),
    ],
)
def test_the_section_shows_every_offer_and_verdict_in_words(html: dict[str, str], lang: str, words: list[str]) -> None:
    section = _section(html[lang])
    for word in words:
        assert word in section, word
    # one sentence per offer, with its verdict code for the reader's eye (the border colour)
    assert re.findall(r'data-verdict="(\w+)"', section) == ["works", "no_evidence", "harms"]
    assert section.count("<img") == 3  # the forest plot, the Qini curve, the deciles
    assert "campaign-20261101T090000Z-a1b2c3" in section


def test_the_numbers_are_the_evaluations_written_in_the_readers_way(html: dict[str, str]) -> None:
    ru, en = _section(html["ru"]), _section(html["en"])
    # promo_code_favourite: uplift 1 - 0.30/0.45 = 33.3 %, CI 15 % … 50 %, p = 0.004, assumed 14 %
    assert "33,3\u00a0% (15,0\u00a0% … 50,0\u00a0%)" in ru
    assert "33.3% (15.0% … 50.0%)" in en
    assert "p = 0.004" in en and "p = 0,004" in ru
    assert "40.2 (14.0 … 66.0)" in en  # saved profit with its CI


def test_old_and_new_catalogue_figures_are_shown_when_the_result_has_them(tmp_path: Path) -> None:
    html = render_report(build_summary(_run(tmp_path / "run", campaign_result())), "en")
    section = _section(html)
    assert "version 1 and version 2" in section
    assert "measured by the campaign" in section and "assumption" in section
    bare = render_report(build_summary(_run(tmp_path / "bare", campaign_result(with_catalogue_update=False))), "en")
    assert "version 1 and version 2" not in _section(bare)


def test_the_section_is_absent_without_the_file(tmp_path: Path) -> None:
    summary = build_summary(_run(tmp_path / "run", None))
    assert "campaign_results" not in [entry["key"] for entry in summary["sections"]]
    assert summary["campaign_results"] is None
    # the sections after it keep consecutive numbers
    assert [entry["number"] for entry in summary["sections"]] == list(range(1, len(summary["sections"]) + 1))
    for lang in ("ru", "en"):
        html = render_report(summary, lang)
        assert "s-campaign_results" not in html
        assert "Итоги кампании" not in html and "Campaign results" not in html


def test_results_of_other_data_carry_a_warning(tmp_path: Path) -> None:
    html = render_report(build_summary(_run(tmp_path / "run", campaign_result(), fingerprint="0" * 64)), "en")
    assert "evaluated on other data than this run&#39;s" in _section(html)
    same = render_report(build_summary(_run(tmp_path / "same", campaign_result())), "en")
    assert "other data" not in _section(same)


def test_a_file_that_is_not_an_evaluation_is_named_with_its_problems(tmp_path: Path) -> None:
    result = campaign_result()
    del result["offers"][1]["uplift_ci_low"]
    result["offers"][2]["verdict"] = "maybe"
    with pytest.raises(InputDataError, match=r"campaign_results\.json: not an evaluation") as caught:
        build_summary(_run(tmp_path / "run", result))
    message = str(caught.value)
    assert "offers[1] (promo_code_favourite, all): entries ['uplift_ci_low'] are missing" in message
    assert "offers[2]: verdict 'maybe'" in message


def test_an_evaluation_without_its_optional_parts_still_reads(tmp_path: Path) -> None:
    """Only what the issue requires per offer: no deciles, Qini, model, costs or overall row."""
    required = (
        "offer",
        "segment",
        "n_treatment",
        "n_control",
        "decline_rate_treatment",
        "decline_rate_control",
        "uplift",
        "uplift_ci_low",
        "uplift_ci_high",
        "verdict",
    )
    rows = [{key: row[key] for key in required} for row in campaign_result()["offers"] if row["offer"] != "all"]
    bare = {"campaign_id": "campaign-x", "n": {"treatment": 700, "control": 300}, "offers": rows}
    section = _section(render_report(build_summary(_run(tmp_path / "run", bare)), "en"))
    assert section.count("<img") == 1  # the forest plot alone
    assert re.findall(r'data-verdict="(\w+)"', section) == ["works", "no_evidence", "harms"]
    assert "The whole campaign:" not in section


def test_a_row_without_an_interval_is_listed_not_plotted(tmp_path: Path) -> None:
    # what `campaign evaluate` writes for a stratum with no declines in its control group
    result = campaign_result()
    row = result["offers"][0]
    row.update(uplift=None, uplift_ci_low=None, uplift_ci_high=None, p_value=None, verdict="no_evidence")
    html = render_report(build_summary(_run(tmp_path / "run", result)), "en")
    assert "—" in _section(html)


def test_the_revenue_change_is_a_column_pair_when_the_evaluation_measured_it(tmp_path: Path) -> None:
    result = campaign_result()
    for row in result["offers"]:
        row |= {"revenue_change_diff": 0.3, "revenue_change_ci_low": -0.2, "revenue_change_ci_high": 0.8}
    en = _section(render_report(build_summary(_run(tmp_path / "run", result)), "en"))
    assert "Revenue change, RUB: treatment / control" in en and "Revenue difference, RUB (95% CI)" in en
    assert "−0.1 / −0.4" in en and "0.3 (−0.2 … 0.8)" in en
    ru = _section(render_report(build_summary(_run(tmp_path / "ru", result)), "ru"))
    assert "Изменение выручки, ₽: воздействие / контроль" in ru and "0,3 (−0,2 … 0,8)" in ru
    for row in result["offers"]:
        row |= {key: None for key in row if key.startswith("revenue_change")}
    bare = _section(render_report(build_summary(_run(tmp_path / "bare", result)), "en"))
    assert "Revenue change" not in bare


def test_an_interval_reaching_far_below_zero_is_cut_at_minus_100_and_said(tmp_path: Path) -> None:
    # a stratum of two customers: its interval reaches -768 %, which would squeeze every other row
    result = campaign_result()
    result["offers"][0].update(uplift=0.0, uplift_ci_low=-7.68, uplift_ci_high=0.0, verdict="no_evidence")
    en = _section(render_report(build_summary(_run(tmp_path / "run", result)), "en"))
    assert "An arrow: the interval goes on below −100% (1 of them" in en
    plain = _section(render_report(build_summary(_run(tmp_path / "plain", campaign_result())), "en"))
    assert "An arrow" not in plain
