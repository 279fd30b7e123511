"""`benchmarks/campaign.py` runs the whole loop: two simulations on a small store give every figure, as shares."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

_FOLDER = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def benchmark():
    """The script as a module; its folder on the import path, as when it runs (it imports campaign_figures)."""
    spec = importlib.util.spec_from_file_location("campaign_benchmark", _FOLDER / "campaign.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(_FOLDER))
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)
        sys.modules.pop("campaign_figures", None)
        sys.path.remove(str(_FOLDER))


def _shares(rate: dict) -> list[float]:
    return [rate[key] for key in ("rate", "ci_low", "ci_high") if rate[key] is not None]


def test_two_simulations_give_every_figure_and_a_verdict_per_target(benchmark) -> None:
    result = benchmark.run_benchmark(sims=2, customers=400, seed=3, budget=30.0, control_share=None, progress=False)
    assert {"settings", "true_uplift", "coverage", "false_works", "catalogue", "second_campaign", "machine"} <= set(
        result
    )
    assert len(result["simulations"]) == 2 and result["settings"]["sims"] == 2
    per_offer = result["coverage"]["per_offer"]
    assert set(per_offer) == set(benchmark.TRUE_UPLIFT)
    second = result["second_campaign"]
    rates = [result["coverage"]["overall"], result["false_works"]]
    rates += [second[name]["second_beats_first"] for name in ("overall_row", "by_strata")]
    rates += list(per_offer.values())
    for rate in rates:
        assert all(0.0 <= share <= 1.0 for share in _shares(rate)), rate
        assert rate["k"] <= rate["n"]
    for row in per_offer.values():  # every simulation is counted once: measured, without interval, or not offered
        assert row["n"] + row["without_interval"] + row["not_in_campaign"] == 2
    assert result["catalogue"]["mae_assumed"] > 0 and 0 <= result["catalogue"]["updated_closer"] <= 2
    verdicts = [result["catalogue"]["verdict"], second["verdict"], second["by_strata"]["verdict"]]
    assert set(verdicts) <= {"PASS", "FAIL", "NO DATA"}
    machine = result["machine"]
    assert machine["wall_seconds"] > 0 and len(machine["load_average_before"]) == 3
    json.dumps(result, allow_nan=False)  # what --json prints
    text = benchmark.render(result)
    assert "coverage of the true uplift" in text and "load average" in text
    assert "overall row all/all" in text and "summed over strata" in text


def test_bad_arguments_exit_with_the_reason(benchmark, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        benchmark.main(["--sims", "0"])
    assert stopped.value.code == 2 and "expected --sims >= 1" in capsys.readouterr().err
