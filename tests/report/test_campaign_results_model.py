"""The report's line on the uplift model: fitted or not, used or not, and why, in the reader's language."""

from __future__ import annotations

import html as markup
import json
import re
from pathlib import Path
from typing import Any

import pytest

from campaign_results import DATA_FINGERPRINT, campaign_result
from oneclick.report import build_summary, render_report

_FITTED = {
    "n_treatment": 1400,
    "n_control": 900,
    "min_per_arm": 500,
    "qini_model": 0.143,
    "qini_rule": 0.021,
    "saved_profit_model": 1476.0,
    "saved_profit_rule": 366.0,
    "saved_profit_gain_ci_low": 585.0,
    "saved_profit_gain_ci_high": 1793.0,
}


def _section(folder: Path, model: dict[str, Any], lang: str) -> str:
    folder.mkdir()
    record = {"seed": 1, "settings": {}, "inputs": {}, "data_fingerprint": DATA_FINGERPRINT}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    result = campaign_result(uplift_model=model)
    (folder / "campaign_results.json").write_text(json.dumps(result), encoding="utf-8")
    html = render_report(build_summary(folder), lang)  # type: ignore[arg-type]
    found = re.search(r'<section id="s-campaign_results".*?</section>', html, flags=re.DOTALL)
    assert found, "no campaign results section"
    return markup.unescape(found.group())


@pytest.mark.parametrize(
    ("model", "lang", "words"),
    [
        ({**_FITTED, "used": True, "reason": "beats_rule"}, "en", ["is used", "1,476", "0.143"]),
        (
            {**_FITTED, "used": False, "reason": "gain_not_clear", "saved_profit_gain_ci_low": -40.0},
            "en",
            ["cannot be told from chance", "the catalogue's rule ranks"],
        ),
        (
            {**_FITTED, "used": False, "reason": "rule_not_beaten", "qini_model": 0.01},
            "en",
            ["does not beat the rule", "0.010"],
        ),
        (
            {"used": False, "reason": "too_few", "n_treatment": 700, "n_control": 300, "min_per_arm": 500},
            "ru",
            ["не строилась", "300", "500"],
        ),
    ],
)
def test_the_model_line_says_what_was_decided_and_on_what(
    tmp_path: Path, model: dict[str, Any], lang: str, words: list[str]
) -> None:
    section = _section(tmp_path / "run", model, lang)
    for word in words:
        assert word in section
