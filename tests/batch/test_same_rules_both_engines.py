"""Both engines read, check, repair and exclude the store's exports by the same rules, in the same words.

Each case of the corpus (``tests/export_corpus.py``) is read once by ``load_tables`` (the in-memory
engine, as ``oneclick validate`` runs it) and once by ``run_batch`` (``oneclick score --engine
local``). Each engine must give what the case states, and the two must agree: the same refusal
message, or byte-identical ``quality.json``, ``quarantine.csv`` and ``excluded.csv`` and the same
customers scored.

The local engine scores each case's few customers in one id range (by default it cuts six
customers into four ranges, which doubles the time of a run); the Dask run keeps the default.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from export_corpus import A_FEW_BAD_ROWS, CASES, PLAIN, Case
from oneclick import InputDataError, StoreTables, load_tables
from oneclick.batch import run_batch
from oneclick.config import Settings
from oneclick.layout import EXCLUDED_FILE, QUALITY_FILE, QUARANTINE_FILE, SCORES_DIR
from store_exports import write_store

ENGINES = ("in-memory", "batch")
TABLES = ("market_file", "market_money", "market_time", "money")
OUTPUTS = (QUARANTINE_FILE, EXCLUDED_FILE, QUALITY_FILE)
QUARANTINE_COLUMNS = ["file", "line", "column", "value", "reason"]
# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A quarantine row says what is wrong; it never carries a whole cell or line of any size.
LONGEST_VALUE, LONGEST_REASON = 500, 1_000
KEPT_CASES = [case for case in CASES if case.refused is None]


def _id(case: Case) -> str:
    return re.sub(r"[^a-z0-9]+", "-", case.name.lower()).strip("-")


@dataclass(frozen=True)
class Outcome:
    """What one engine made of one case's exports."""

    data: Path  # the exports
    out: Path  # quality.json, quarantine.csv, excluded.csv
    error: str | None  # the InputDataError's message, when the exports were refused
    kept: list[int]
    tables: StoreTables | None = None  # in-memory engine
    scores: pd.DataFrame | None = None  # batch engine


def read_in_memory(data: Path, out: Path, policy: dict[str, Any]) -> Outcome:
    try:
        tables = load_tables(data, **policy)
    except InputDataError as err:
        return Outcome(data, out, str(err), [])
    tables.quality.write(out)
    return Outcome(data, out, None, sorted(int(i) for i in tables.kept_customers), tables=tables)


def read_batch(data: Path, model_dir: Path, out: Path, policy: dict[str, Any], engine: str = "local") -> Outcome:
    try:
        run_batch(
            data,
            model_dir,
            out,
            engine=engine,  # type: ignore[arg-type]
            settings=Settings(**policy),
            with_offers=False,
            drivers="none",
            progress=False,
            n_partitions=None if engine == "dask" else 1,
        )
    except InputDataError as err:
        return Outcome(data, out, str(err), [])
    scores = pd.read_parquet(out / SCORES_DIR)
    if "customer_id" not in scores.columns:
        scores = scores.reset_index()
    scores = scores.sort_values("customer_id").reset_index(drop=True)
    return Outcome(data, out, None, [int(i) for i in scores["customer_id"]], scores=scores)


@pytest.fixture(scope="module")
def outcome(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case, str], Outcome]:
    """Each case's exports written once, and read once by each engine (several tests look at each)."""
    folders: dict[str, Path] = {}
    found: dict[tuple[str, str], Outcome] = {}

    def get(case: Case, engine: str) -> Outcome:
        if case.name not in folders:
            folders[case.name] = write_store(tmp_path_factory.mktemp(_id(case)[:30]) / "exports", case.files())
        data = folders[case.name]
        if (case.name, engine) not in found:
            out, policy = data.parent / engine, dict(case.policy)
            if engine == "in-memory":
                found[(case.name, engine)] = read_in_memory(data, out, policy)
            else:
                found[(case.name, engine)] = read_batch(data, model_dir, out, policy)
        return found[(case.name, engine)]

    return get


def _read_csv(path: Path) -> pd.DataFrame:
    assert path.is_file(), f"{path.name} was not written"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _assert_kept(outcome: Outcome, engine: str) -> None:
    if outcome.error is not None:
        pytest.fail(f"{engine} refused the exports: {outcome.error}")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_refused_or_kept_as_stated(outcome: Callable[[Case, str], Outcome], case: Case, engine: str) -> None:
    got = outcome(case, engine)
    if case.refused is not None:
        assert got.error is not None, f"{engine} read exports that must be refused"
        assert re.search(case.refused, got.error), got.error
        return
    _assert_kept(got, engine)
    if case.excluded is not None:
        assert got.kept == sorted(set(case.customers) - set(case.excluded))
    if case.same_as_plain:
        plain = outcome(PLAIN, engine)
        assert got.kept == plain.kept
        if got.tables is not None and plain.tables is not None:
            for name in TABLES:
                pd.testing.assert_frame_equal(
                    getattr(got.tables, name).drop(columns="line"), getattr(plain.tables, name).drop(columns="line")
                )
        if got.scores is not None:
            pd.testing.assert_frame_equal(got.scores, plain.scores)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", KEPT_CASES, ids=_id)
def test_quarantined_rows_as_stated(outcome: Callable[[Case, str], Outcome], case: Case, engine: str) -> None:
    got = outcome(case, engine)
    _assert_kept(got, engine)
    quarantine = _read_csv(got.out / QUARANTINE_FILE)
    assert list(quarantine.columns) == QUARANTINE_COLUMNS
    lines = set(zip(quarantine["file"], quarantine["line"].astype(int), strict=True))
    shown = quarantine.assign(value=quarantine["value"].str.slice(0, 60), reason=quarantine["reason"].str.slice(0, 200))
    assert lines == {(row.file, row.line) for row in case.quarantined}, shown.to_string()
    for row in case.quarantined:
        mine = quarantine[(quarantine["file"] == row.file) & (quarantine["line"].astype(int) == row.line)]
        assert any(re.search(row.reason, reason) for reason in mine["reason"]), shown.to_string()
        if row.value is not None:
            assert any(re.match(row.value, value) for value in mine["value"]), shown.to_string()
    assert (quarantine["value"].str.len() <= LONGEST_VALUE).all(), shown.to_string()
    assert (quarantine["reason"].str.len() <= LONGEST_REASON).all(), shown.to_string()
    _assert_spreadsheet_safe(quarantine)
    if got.tables is not None:
        _assert_no_silent_loss(got.tables, quarantine, got.data)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", KEPT_CASES, ids=_id)
def test_excluded_customers_as_stated(outcome: Callable[[Case, str], Outcome], case: Case, engine: str) -> None:
    got = outcome(case, engine)
    _assert_kept(got, engine)
    excluded = _read_csv(got.out / EXCLUDED_FILE)
    assert list(excluded.columns) == ["customer_id", "reason"]
    ids = [int(i) for i in excluded["customer_id"]]
    assert ids == sorted(ids), "excluded.csv is sorted by customer_id"
    _assert_spreadsheet_safe(excluded)
    if case.excluded is None:
        return
    assert ids == sorted(case.excluded), excluded.to_string()
    for customer, reason in zip(ids, excluded["reason"], strict=True):
        assert re.search(case.excluded[customer], reason), (customer, reason)


@pytest.mark.parametrize("engine", ENGINES)
def test_quality_json_names_the_quarantine_file_relatively(
    outcome: Callable[[Case, str], Outcome], engine: str
) -> None:
    got = outcome(A_FEW_BAD_ROWS, engine)
    _assert_kept(got, engine)
    quality = json.loads((got.out / QUALITY_FILE).read_text(encoding="utf-8"))
    assert quality["quarantine_file"] == QUARANTINE_FILE


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_both_engines_write_the_same(outcome: Callable[[Case, str], Outcome], case: Case) -> None:
    memory, batch = outcome(case, "in-memory"), outcome(case, "batch")
    assert (memory.error is None) == (batch.error is None), f"in-memory: {memory.error!r}\nbatch: {batch.error!r}"
    if memory.error is not None:
        assert batch.error == memory.error
        return
    assert batch.kept == memory.kept
    _assert_same_files(memory.out, batch.out)


@pytest.mark.slow  # a LocalCluster of two worker processes starts and stops: several seconds
@pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")  # distributed picks another port
def test_dask_engine_writes_what_the_local_engine_writes(
    outcome: Callable[[Case, str], Outcome], model_dir: Path, tmp_path: Path
) -> None:
    local = outcome(A_FEW_BAD_ROWS, "batch")
    dask = read_batch(local.data, model_dir, tmp_path / "dask", {}, engine="dask")
    assert local.error is None and dask.error is None
    assert dask.kept == local.kept
    pd.testing.assert_frame_equal(dask.scores, local.scores)
    _assert_same_files(local.out, dask.out)


def _assert_same_files(left: Path, right: Path) -> None:
    for name in OUTPUTS:
        a, b = left / name, right / name
        assert a.is_file(), f"{left.name} wrote no {name}"
        assert b.is_file(), f"{right.name} wrote no {name}"
        if name == QUALITY_FILE:
            assert json.loads(b.read_text(encoding="utf-8")) == json.loads(a.read_text(encoding="utf-8"))
        assert b.read_bytes() == a.read_bytes(), _diff(a, b)


def _diff(a: Path, b: Path) -> str:
    def lines(path: Path) -> list[str]:
        return [line[:200] for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]

    diff = difflib.unified_diff(
        lines(a), lines(b), f"{a.parent.name}/{a.name}", f"{b.parent.name}/{b.name}", n=0, lineterm=""
    )
    return "\n".join(list(diff)[:40])


def _assert_spreadsheet_safe(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        unsafe = frame[column][frame[column].str.startswith(FORMULA_STARTS)]
        assert unsafe.empty, (
            f"column {column!r}: a spreadsheet runs these as formulas: {unsafe.str.slice(0, 60).tolist()}"
        )


def _assert_no_silent_loss(tables: StoreTables, quarantine: pd.DataFrame, data: Path) -> None:
    """Every data line of every file is either among the tables' rows or in the quarantine, never both."""
    for name in TABLES:
        path = next(data.glob(f"{name}.*"))
        kept = set(getattr(tables, name)["line"])
        quarantined = set(quarantine.loc[quarantine["file"] == path.name, "line"].astype(int))
        assert kept | quarantined == _data_lines(path), path.name
        assert not kept & quarantined, path.name


def _data_lines(path: Path) -> set[int]:
    if path.suffix == ".parquet":
        return set(range(1, pq.ParquetFile(path).metadata.num_rows + 1))
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8", "replace")
    lines = text.replace("\r\n", "\n").split("\n")
    return {n for n, line in enumerate(lines, start=1) if n > 1 and line.strip()}
