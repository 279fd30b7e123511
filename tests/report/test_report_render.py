"""The HTML: one self-contained file, in Russian or English, with what the numbers say."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from oneclick.errors import ConfigError
from oneclick.report import build_summary, render_report, write_report
from oneclick.report.i18n import integer, percent


@pytest.fixture
def html(synth_html: dict[str, str]) -> dict[str, str]:
    return synth_html


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_file_needs_nothing_from_outside(html: dict[str, str], lang: str, expected_charts: dict[str, int]) -> None:
    page = html[lang]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(http" not in page and "<script" not in page
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == sum(expected_charts.values())
    assert all(src.startswith(("data:image/svg+xml;base64,", "data:image/png;base64,")) for src in sources)


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [
        (
            "ru",
            ["Качество данных", "Взаимосвязи признаков", "Модель", "Сегменты покупателей", "Выводы"],
            ["Data quality"],
        ),
        (
            "en",
            ["Data quality", "Correlation", "Model", "Offers and campaign", "Conclusions"],
            ["Качество данных"],
        ),
    ],
)
def test_russian_by_default_english_as_an_option(
    html: dict[str, str], lang: str, words: list[str], absent: list[str]
) -> None:
    assert f'<html lang="{lang}">' in html[lang]
    for word in [*words]:
        assert word in html[lang]
    for word in absent:
        assert word not in html[lang]


def test_every_chart_has_a_title_and_a_reading(html: dict[str, str], expected_charts: dict[str, int]) -> None:
    figures = re.findall(
        r'<figure class="chart">\s*<img src="[^"]+" alt="([^"]*)"[^>]*>\s*'
        r'<figcaption class="reading">([^<]*)</figcaption>',
        html["ru"],
    )
    assert len(figures) == sum(expected_charts.values())
    for title, reading in figures:
        assert title.strip() and len(reading.strip()) > 20


def test_quality_figures_agree_with_quality_json(html: dict[str, str], synth_run: Path) -> None:
    quality = json.loads((synth_run / "quality.json").read_text(encoding="utf-8"))
    kept, read = quality["customers_kept"], quality["customers_read"]
    share = quality["class_balance"]["declined_share"]
    assert f"В анализ вошли {integer(kept, 'ru')} из {integer(read, 'ru')} покупателей" in html["ru"]
    assert f"({percent(share, 'ru')})" in html["ru"]
    assert f"{integer(kept, 'en')} of {integer(read, 'en')} customers were analysed" in html["en"]
    for row in quality["excluded"]:
        assert f"<td>{row['id']}</td>" in html["ru"]


def test_conclusions_follow_the_numbers(records_only_run: Path) -> None:
    path = records_only_run / "quality.json"
    quality = json.loads(path.read_text(encoding="utf-8"))
    before = render_report(build_summary(records_only_run), "ru")
    assert f"Активность снизилась у {percent(quality['class_balance']['declined_share'], 'ru')}" in before
    quality["class_balance"] |= {"declined": 100, "unchanged": 900, "declined_share": 0.1}
    path.write_text(json.dumps(quality, ensure_ascii=False), encoding="utf-8")
    after = render_report(build_summary(records_only_run), "ru")
    assert "Активность снизилась у 10,0\u00a0% покупателей: классы сильно несбалансированы" in after


def test_conclusions_name_the_group_that_separates_the_classes_most(
    html: dict[str, str], synth_summary: dict[str, Any]
) -> None:
    from oneclick.features.groups import GROUP_LABELS, feature_label

    group, best = next(iter(synth_summary["correlation"]["group_strength"].items()))
    conclusions = html["ru"][html["ru"].index('id="s-conclusions"') :]
    assert f"лучше всего видно по группе «{GROUP_LABELS[group]['ru']}»" in conclusions
    assert f"«{feature_label(best['feature'], 'ru')}»" in conclusions


def test_text_from_the_run_is_escaped(records_only_run: Path) -> None:
    path = records_only_run / "quality.json"
    quality = json.loads(path.read_text(encoding="utf-8"))
    quality["excluded"] = [{"id": 1, "reason": "no row in <script>alert(1)</script>.csv"}]
    path.write_text(json.dumps(quality, ensure_ascii=False), encoding="utf-8")
    page = render_report(build_summary(records_only_run), "en")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_write_report_writes_beside_the_run_by_default(records_only_run: Path, tmp_path: Path) -> None:
    ru = write_report(records_only_run)
    en = write_report(records_only_run, lang="en")
    chosen = write_report(records_only_run, tmp_path / "out" / "r.html", lang="en")
    assert (ru, en, chosen) == (
        records_only_run / "report.html",
        records_only_run / "report.en.html",
        tmp_path / "out" / "r.html",
    )
    assert "Таблица покупателей в этом запуске не построена" in ru.read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="report language"):
        write_report(records_only_run, lang="de")  # type: ignore[arg-type]
