"""The next period: the same customers a period later, read like any export, shifts of the size asked, the truth."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import ks_2samp
from typer.testing import CliRunner

from oneclick import build_customer_table, load_tables
from oneclick.cli import app
from oneclick.errors import ConfigError
from oneclick.features import FEATURE_NAMES
from oneclick.synth import TRUTH_FILE, write_next_period, write_synthetic_dataset

runner = CliRunner()


@pytest.fixture(scope="module")
def last(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("last")
    write_synthetic_dataset(folder, 2_000, seed=31)
    return folder


@pytest.fixture(scope="module")
def last_table(last: Path):
    return build_customer_table(load_tables(last))


def _next(last: Path, folder: Path, drift: str = "", **options):
    written = write_next_period(last, folder, drift=drift, seed=options.pop("seed", 1), **options)
    return written, build_customer_table(load_tables(folder))


def test_the_same_customers_a_period_later(last: Path, last_table, tmp_path: Path) -> None:
    written, new = _next(last, tmp_path / "next")
    truth = written.truth
    assert truth == json.loads((tmp_path / "next" / TRUTH_FILE).read_text(encoding="utf-8"))
    both = new.index.intersection(last_table.index)
    joined = new.index.difference(last_table.index)
    assert len(joined) <= truth["customers"]["joined"]  # the quirks exclude a few inactive ones
    assert joined.min() == truth["customers"]["first_joined_id"] > last_table.index.max()
    assert truth["customers"]["stayed"] == truth["customers"]["last_period"] - truth["customers"]["left"]
    assert 0.03 < 1 - len(both) / len(last_table) < 0.08
    # Months shifted: next period's revenue last month continues this period's revenue this month.
    carried = np.corrcoef(last_table.loc[both, "revenue_current_month"], new.loc[both, "revenue_previous_month"])[0, 1]
    assert carried > 0.5
    assert truth["drifted_features"] == [] and truth["undrifted_features"] == FEATURE_NAMES
    assert truth["label"]["source"] == "generator"


def test_without_drift_every_feature_keeps_its_distribution(last: Path, last_table, tmp_path: Path) -> None:
    _, new = _next(last, tmp_path / "next")
    numeric = [name for name in FEATURE_NAMES if new[name].dtype.kind in "fi"]
    p_values = {name: ks_2samp(last_table[name], new[name]).pvalue for name in numeric}
    assert min(p_values.values()) > 0.001, p_values
    assert abs(new["declined"].mean() - last_table["declined"].mean()) < 0.04


def test_the_export_has_the_synthetic_exports_quirks(last: Path, tmp_path: Path) -> None:
    _next(last, tmp_path / "next")
    money = (tmp_path / "next" / "money.csv").read_bytes()
    assert b";" in money.splitlines()[0] and b"\r\n" in money
    quality = load_tables(tmp_path / "next").quality
    assert quality.customers_kept < quality.customers_read  # inactive customers, as in every export


def test_same_seed_same_files_and_parquet_too(last: Path, tmp_path: Path) -> None:
    _next(last, tmp_path / "a", "pages_per_visit:-0.5sd")
    _next(last, tmp_path / "b", "pages_per_visit:-0.5sd")
    for name in ("market_file.csv", "market_money.csv", "market_time.csv", "money.csv", TRUTH_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    written, new = _next(last, tmp_path / "p", "pages_per_visit:-0.5sd", fmt="parquet")
    assert written.paths["market_file"].suffix == ".parquet" and len(new) > 1_800


@pytest.mark.parametrize(
    ("spec", "check"),
    [
        ("pages_per_visit:-0.5sd", "mean"),
        ("minutes_current_month:+1sd", "mean"),
        ("favourite_category:kids_goods+0.2", "share"),
        ("allows_messages:no-0.1", "share"),
        ("base_rate:+0.1", "label"),
        ("concept:promo_purchase_share", "concept"),
    ],
)
def test_each_shift_has_the_size_asked(last: Path, last_table, tmp_path: Path, spec: str, check: str) -> None:
    written, new = _next(last, tmp_path / "next", spec)
    (shift,) = written.truth["drift"]
    assert shift["spec"] == spec or shift["kind"] == "concept"
    if check == "mean":
        feature = shift["feature"]
        moved = new[feature].mean() - last_table[feature].mean()
        assert moved == pytest.approx(
            shift["sd"] * last_table[feature].std(ddof=0), abs=0.1 * last_table[feature].std()
        )
    elif check == "share":
        assert shift["share_after"] - shift["share_before"] == pytest.approx(shift["share"], abs=0.03)
    elif check == "label":
        label = written.truth["label"]
        assert label["declined_share_expected"] - label["declined_share_before_base_rate"] == pytest.approx(
            0.1, abs=1e-6
        )
        assert new["declined"].mean() - last_table["declined"].mean() == pytest.approx(0.1, abs=0.04)
    else:
        assert shift["after"] == -shift["log_odds_per_sd_before"]
        assert written.truth["drifted_features"] == []  # the features do not move


def test_another_label_seed_draws_other_labels_for_the_same_customers(last: Path, tmp_path: Path) -> None:
    written, same = _next(last, tmp_path / "a", seed=1)
    relabelled, other = _next(last, tmp_path / "b", seed=1, label_seed=2)
    assert same.index.equals(other.index)
    assert same[FEATURE_NAMES].equals(other[FEATURE_NAMES])
    changed = (same["declined"] != other["declined"]).mean()
    assert 0.1 < changed < 0.6  # fresh draws from the same probabilities (~30 % of labels differ)
    assert abs(same["declined"].mean() - other["declined"].mean()) < 0.04
    assert "label_seed" not in written.truth and relabelled.truth["label_seed"] == 2
    _next(last, tmp_path / "c", seed=1, label_seed=1)  # the default: the label seed is the seed
    assert (tmp_path / "c" / "market_file.csv").read_bytes() == (tmp_path / "a" / "market_file.csv").read_bytes()
    with pytest.raises(ConfigError, match="label_seed must be a whole number >= 0, found -1"):
        write_next_period(last, tmp_path / "d", label_seed=-1)


def test_the_label_can_come_from_a_model(last: Path, tmp_path: Path) -> None:
    import dataclasses

    from fast_settings import FAST
    from oneclick import build_features
    from oneclick.pipeline import train_and_save

    tables = load_tables(last)
    X, y = build_features(tables)
    train_and_save(X, y, tables, tmp_path / "model", dataclasses.replace(FAST, model_families="logreg"))
    written, new = _next(last, tmp_path / "next", "", model_dir=tmp_path / "model")
    assert written.truth["label"]["source"] == "model"
    assert abs(new["declined"].mean() - y.mean()) < 0.05


def test_a_share_beyond_one_is_refused(last: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="outside"):
        write_next_period(last, tmp_path / "next", drift="favourite_category:kitchenware-0.5")


def test_the_command(last: Path, tmp_path: Path) -> None:
    out = tmp_path / "next"
    result = runner.invoke(
        app,
        ["synth", "--next-period", "--from", str(last), "--out", str(out), "--drift", "base_rate:+0.1", "--seed", "2"],
    )
    assert result.exit_code == 0, result.output
    assert str(out / TRUTH_FILE) in result.stdout
    assert json.loads((out / TRUTH_FILE).read_text(encoding="utf-8"))["drift_spec"] == "base_rate:+0.1"
    misuse = runner.invoke(app, ["synth", "--out", str(out), "--drift", "base_rate:+0.1"])
    assert misuse.exit_code == 1 and "--next-period --from DIR" in misuse.stderr
    bad = runner.invoke(app, ["synth", "--next-period", "--from", str(last), "--out", str(out), "--drift", "oops"])
    assert bad.exit_code == 1 and "ConfigError: --drift 'oops'" in bad.stderr
