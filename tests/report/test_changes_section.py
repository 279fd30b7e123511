"""The report's "Changes since the last period": shown from changes.json, in both languages, absent without it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from oneclick.errors import InputDataError
from oneclick.report import build_summary, render_report
from oneclick.report.i18n import number
from oneclick.report.sections import changes_tests as tests

TITLES = {"ru": "Изменения с прошлого периода", "en": "Changes since the last period"}


def _run(folder: Path, changes: Any, fingerprint: str | None = None) -> Path:
    """A run folder with only its record and changes.json (text as given, or JSON): cheap to report on."""
    folder.mkdir()
    record = {"seed": 1, "settings": {}, "inputs": {}}
    if fingerprint is not None:
        record["data_fingerprint"] = fingerprint
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    if changes is not None:
        text = changes if isinstance(changes, str) else json.dumps(changes)
        (folder / "changes.json").write_text(text, encoding="utf-8")
    return folder


def _section(html: str) -> str:
    found = re.search(r'<section id="s-changes".*?</section>', html, flags=re.DOTALL)
    assert found, "no changes section"
    return found.group()


def _interval(figure: dict[str, Any], lang: str) -> str:
    low, high = figure["ci"]
    return f"{number(figure['value'], lang, 3)} ({number(low, lang, 3)} … {number(high, lang, 3)})"


@pytest.fixture(scope="module")
def realised(period_comparisons: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return period_comparisons["realised"]


@pytest.fixture(scope="module")
def html(realised: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    run = _run(tmp_path_factory.mktemp("changes") / "run", realised, realised["new"]["data_fingerprint"])
    summary = build_summary(run)
    return {lang: _section(render_report(summary, lang)) for lang in ("ru", "en")}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Вердикт: наблюдать", "Страниц за визит", "Правило вердикта по пунктам", "Клетки «риск × прибыль»"]),
        ("en", ["Verdict: watch", "Pages per visit", "rule, clause by clause", "Risk × profit cells"]),
    ],
)
def test_the_section_shows_the_verdict_and_the_drifted_features(
    html: dict[str, str], realised: dict[str, Any], lang: str, words: list[str]
) -> None:
    section = html[lang]
    assert TITLES[lang] in section
    assert realised["verdict"] == "watch"  # pages per visit drifted; the model held: the words below say so
    assert re.findall(r'data-verdict="(\w+)"', section) == [realised["verdict"]]
    for word in words:
        assert word in section, word
    # every clause of the rule, those that decided first
    holds = re.findall(r'data-holds="(true|false)"', section)
    assert len(holds) == len(realised["verdict_reasons"])
    assert holds == sorted(holds, key=lambda h: h != "true") and holds[0] == "true"
    assert section.count("<img") == 2  # the distributions, old beside new; the decay beside the promise
    assert realised["comparison_id"] in section


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_decay_shows_each_figure_with_its_interval_beside_the_promise(
    html: dict[str, str], realised: dict[str, Any], lang: str
) -> None:
    section, decay = html[lang], realised["decay"]
    for name in ("roc_auc", "brier", "precision", "recall"):
        assert _interval(decay["realised"][name], lang) in section, name
    promised = decay["promised"]
    low, high = promised["roc_auc_ci"]
    assert f"{number(promised['roc_auc'], lang, 3)} ({number(low, lang, 3)} … {number(high, lang, 3)})" in section
    assert ("Получено (95 % ДИ)" if lang == "ru" else "Realised (95% CI)") in section
    assert 'data-estimate="true"' not in section


def test_an_estimate_without_labels_is_flagged(period_comparisons: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    estimated = period_comparisons["estimated"]
    section = _section(render_report(build_summary(_run(tmp_path / "run", estimated)), "en"))
    assert 'data-estimate="true"' in section
    assert "This is an estimate, not a measurement" in section
    assert "Estimate without labels (95% CI)" in section and "Realised (95% CI)" not in section
    assert _interval(estimated["decay"]["estimate"]["roc_auc"], "en") in section
    assert "The share who declined in the new period is unknown" in section


def test_the_section_is_absent_without_the_file(tmp_path: Path) -> None:
    summary = build_summary(_run(tmp_path / "run", None))
    assert "changes" not in [entry["key"] for entry in summary["sections"]]
    assert summary["changes"] is None
    assert [entry["number"] for entry in summary["sections"]] == list(range(1, len(summary["sections"]) + 1))
    for lang in ("ru", "en"):
        html = render_report(summary, lang)
        assert "s-changes" not in html and TITLES[lang] not in html


def test_a_comparison_of_other_data_carries_a_warning(realised: dict[str, Any], tmp_path: Path) -> None:
    summary = build_summary(_run(tmp_path / "run", realised, fingerprint="0" * 64))
    assert summary["changes"]["is_other_data"]
    assert "the comparison was made on other data than this run&#39;s" in _section(render_report(summary, "en"))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "cannot read this output of the run"),
        (json.dumps([1, 2]), "expected a JSON object, found list"),
        (json.dumps({"format": "oneclick-campaign-evaluation/1", "offers": []}), "entry 'format' is"),
    ],
)
def test_a_broken_or_foreign_file_is_named(tmp_path: Path, text: str, problem: str) -> None:
    run = _run(tmp_path / "run", text)
    with pytest.raises(InputDataError, match=re.escape(str(run / "changes.json"))) as raised:
        build_summary(run)
    assert raised.match(re.escape(problem))


def test_a_comparison_lacking_an_entry_is_named_with_it(realised: dict[str, Any], tmp_path: Path) -> None:
    broken = json.loads(json.dumps(realised))
    del broken["decay"]["realised"]["roc_auc"]
    with pytest.raises(InputDataError, match=r"changes\.json: not a comparison of two periods") as raised:
        build_summary(_run(tmp_path / "run", broken))
    assert raised.match(r"realised\.roc_auc: expected a value and a 95 % interval")


@pytest.mark.parametrize(
    ("feature", "lang", "said"),
    [
        ({"test": "ks", "statistic": 0.327, "p_value": 1e-14, "threshold": 0.05}, "en", "statistic 0.327, p < 0.0001"),
        (
            {"test": "ks", "statistic": 0.137, "p_value": 0.0063, "threshold": 0.05},
            "ru",
            "статистика 0,137, p = 0,0063",
        ),
        (
            {"test": "wasserstein", "statistic": 0.12, "p_value": None, "threshold": 0.1},
            "en",
            "distance 0.120 (drift at ≥ 0.10)",
        ),
    ],
)
def test_a_test_result_reads_as_a_sentence(feature: dict[str, Any], lang: str, said: str) -> None:
    assert tests.result(feature, lang).startswith(said)
