"""The report of a run on the store's real data: every section built, each file well under 5 MB."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneclick.config import Settings
from oneclick.pipeline import run_pipeline

MAX_BYTES = 5 * 1024 * 1024

pytestmark = pytest.mark.slow


def test_real_data_report_has_every_section_and_stays_small(
    real_data: Path, fast_settings: Settings, tmp_path: Path
) -> None:
    result = run_pipeline(real_data, tmp_path / "run", fast_settings, languages=("ru", "en"))
    for lang in ("ru", "en"):
        page = result.outputs[f"report_{lang}"]
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size < MAX_BYTES, (lang, page.stat().st_size)
        assert text.count('data-status="ok"') == 8, lang
