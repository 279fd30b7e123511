"""A corpus of broken exports: each gets a clear error or a quarantine with its reason.

Never a traceback, never a silent loss: every data line of every file ends up either
among the valid rows or in the quarantine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from oneclick import InputDataError, load_tables
from store_exports import MARKET_FILE_HEADER, store_files, write_store

Files = dict[str, str | bytes]


def _replace(name: str, old: str, new: str, count: int = 1) -> Callable[[Files], Files]:
    def change(files: Files) -> Files:
        text = files[name]
        assert isinstance(text, str) and old in text, f"{old!r} not in {name}"
        return files | {name: text.replace(old, new, count)}

    return change


def _set(name: str, content: str | bytes) -> Callable[[Files], Files]:
    return lambda files: files | {name: content}


def _append(name: str, line: str) -> Callable[[Files], Files]:
    return lambda files: files | {name: str(files[name]) + line}


def _drop(name: str) -> Callable[[Files], Files]:
    return lambda files: {k: v for k, v in files.items() if k != name}


ERRORS = [
    ("missing file", _drop("market_time.csv"), r"market_time\.csv or market_time\.parquet"),
    ("empty file", _set("market_file.csv", ""), r"market_file\.csv: the file is empty"),
    ("header only", _set("money.csv", "id;Прибыль\r\n"), r"money\.csv: the file has a header but no data rows"),
    (
        "missing column",
        _replace("market_file.csv", ",Ошибка_сервиса", ""),
        r"market_file\.csv: line 1 \(header\): column\(s\) \['Ошибка_сервиса'\] missing",
    ),
    (
        "extra column",
        _replace("market_time.csv", "id,Период,минут", "id,Период,минут,комментарий"),
        r"market_time\.csv: line 1 \(header\): unexpected column\(s\) \['комментарий'\]",
    ),
    (
        "duplicated column",
        _replace("money.csv", "id;Прибыль", "id;Прибыль;Прибыль"),
        r"money\.csv: line 1 \(header\):.*more than once",
    ),
    (
        "wrong encoding",
        lambda f: f | {"market_file.csv": str(f["market_file.csv"]).encode("koi8_r")},
        r"market_file\.csv: cannot read the header in any supported encoding",
    ),
    ("binary garbage", _set("market_money.csv", bytes(range(256)) * 4), r"market_money\.csv: cannot read the header"),
    (
        "wrong separator",
        lambda f: f | {"market_file.csv": str(f["market_file.csv"]).replace(",", " ")},
        r"market_file\.csv: line 1 \(header\): cannot find the columns",
    ),
    (
        "rows split by another separator than the header",
        lambda f: (
            f
            | {
                "market_money.csv": "id,Период,Выручка\n"
                + str(f["market_money.csv"]).split("\n", 1)[1].replace(",", ";")
            }
        ),
        r"market_money\.csv failed checks in 18 of 18 rows, more than 50%",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), ERRORS, ids=[c[0] for c in ERRORS])
def test_unreadable_input_raises_a_clear_error(tmp_path: Path, case: str, change, message: str) -> None:
    folder = write_store(tmp_path / "store", change(store_files()))
    with pytest.raises(InputDataError, match=message):
        load_tables(folder)


QUARANTINED = [
    (
        "unknown category",
        _replace("market_file.csv", "Кухонная посуда", "Игрушки"),
        "market_file.csv",
        5,
        r"column 'Популярная_категория': unknown value 'Игрушки'",
        1004,
    ),
    (
        "text in a number",
        _replace("market_file.csv", "1005,Прежний уровень,премиум,нет,3.9", "1005,Прежний уровень,премиум,нет,abc"),
        "market_file.csv",
        6,
        r"column 'Маркет_актив_6_мес': expected a number, found 'abc'",
        1005,
    ),
    (
        "NaN in a number",
        _replace("market_time.csv", "1002,текущий_месяц,12", "1002,текущий_месяц,NaN"),
        "market_time.csv",
        5,
        r"column 'минут': missing value",
        1002,
    ),
    (
        "empty cell",
        _replace("money.csv", "1003;5,12", "1003;"),
        "money.csv",
        4,
        r"column 'Прибыль': missing value",
        1003,
    ),
    (
        "negative count",
        _replace("market_file.csv", "Кухонная посуда,2,0,3,11", "Кухонная посуда,2,0,-3,11"),
        "market_file.csv",
        5,
        r"column 'Ошибка_сервиса': expected a value >= 0, found '-3'",
        1004,
    ),
    (
        "share above one",
        _replace("market_file.csv", "0.95,Мелкая", "1.95,Мелкая"),
        "market_file.csv",
        7,
        r"column 'Акционные_покупки': expected a value <= 1, found '1.95'",
        1006,
    ),
    (
        "fraction in a count",
        _replace("market_file.csv", "Кухонная посуда,2,0,3,11", "Кухонная посуда,2.5,0,3,11"),
        "market_file.csv",
        5,
        r"column 'Средний_просмотр_категорий_за_визит': expected a whole number, found '2.5'",
        1004,
    ),
    (
        "huge number",
        _replace("market_file.csv", "Кухонная посуда,2,0,3,11", "Кухонная посуда,2,0,3,1e30"),
        "market_file.csv",
        5,
        r"column 'Страниц_за_визит': expected a whole number of sensible size",
        1004,
    ),
    (
        "huge revenue",
        _replace("market_money.csv", "1002,текущий_месяц,4120.0", "1002,текущий_месяц,99999999999999"),
        "market_money.csv",
        7,
        r"column 'Выручка': expected a value <= 1000000000",
        1002,
    ),
    (
        "infinite number",
        _replace("money.csv", "1003;5,12", "1003;inf"),
        "money.csv",
        4,
        r"column 'Прибыль': expected a finite number, found 'inf'",
        1003,
    ),
    (
        "negative revenue",
        _replace("market_money.csv", "1002,текущий_месяц,4120.0", "1002,текущий_месяц,-5"),
        "market_money.csv",
        7,
        r"column 'Выручка': expected a value >= 0",
        1002,
    ),
    (
        "text id",
        _replace("market_file.csv", "1006,Снизилась", "x1006,Снизилась"),
        "market_file.csv",
        7,
        r"column 'id': expected a whole number, found 'x1006'",
        1006,
    ),
    (
        "unknown yes/no",
        _replace("market_file.csv", "1004,Прежний уровень,стандарт,да", "1004,Прежний уровень,стандарт,может быть"),
        "market_file.csv",
        5,
        r"column 'Разрешить сообщать': unknown value 'может быть'",
        1004,
    ),
    (
        "unknown period",
        _replace("market_time.csv", "1003,текущий_месяц", "1003,следующий_месяц"),
        "market_time.csv",
        7,
        r"column 'Период': unknown value 'следующий_месяц'",
        1003,
    ),
    (
        "period of another table",
        _replace("market_time.csv", "1003,текущий_месяц", "1003,препредыдущий_месяц"),
        "market_time.csv",
        7,
        r"column 'Период': expected a value one of",
        1003,
    ),
    (
        "truncated last line",
        lambda f: f | {"market_file.csv": str(f["market_file.csv"]).rstrip("\n")[:-12]},
        "market_file.csv",
        7,
        r"has 9 fields, expected 13.*truncated",
        1006,
    ),
    (
        "too many fields",
        _replace("market_file.csv", "1005,Прежний уровень,премиум,нет,3.9", "1005,Прежний уровень,премиум,нет,3,9"),
        "market_file.csv",
        6,
        r"has 14 fields, expected 13",
        1005,
    ),
    (
        "conflicting duplicate id",
        _append("money.csv", "1004;9,99\r\n"),
        "money.csv",
        8,
        r"key \(id\) = \(1004\) appears on lines 5, 8 with different values",
        1004,
    ),
    (
        "duplicate (customer, period)",
        _append("market_money.csv", "1005,текущий_месяц,1.0\n"),
        "market_money.csv",
        20,
        r"key \(id, Период\) = \(1005, текущий_месяц\) appears on lines 16, 20",
        1005,
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "file", "line", "reason", "customer"), QUARANTINED, ids=[c[0] for c in QUARANTINED]
)
def test_bad_row_is_quarantined_with_its_reason(
    tmp_path: Path, case: str, change, file: str, line: int, reason: str, customer: int
) -> None:
    tables = load_tables(write_store(tmp_path / "store", change(store_files())))
    quarantine = tables.quality.quarantine
    row = quarantine[(quarantine["file"] == file) & (quarantine["line"] == line)]
    assert len(row) >= 1, quarantine.to_string()
    assert row["reason"].str.contains(reason).any(), row["reason"].tolist()
    excluded = tables.quality.excluded.set_index("customer_id")["reason"]
    assert customer in excluded.index, "a customer with a quarantined row cannot be modelled"
    assert customer not in tables.kept_customers
    _assert_no_silent_loss(tables, tmp_path / "store")


def test_exact_repeat_is_quarantined_and_the_first_copy_kept(tmp_path: Path) -> None:
    files = _append("money.csv", "1004;3,13\r\n")(store_files())
    tables = load_tables(write_store(tmp_path / "store", files))
    repeat = tables.quality.quarantine.query("file == 'money.csv'")
    assert repeat["reason"].str.contains("exact repeat").all()
    assert 1004 in tables.kept_customers
    _assert_no_silent_loss(tables, tmp_path / "store")


def test_customer_missing_from_one_table_is_excluded_with_the_reason(tmp_path: Path) -> None:
    files = _replace("money.csv", "1002;4,11\r\n", "")(store_files())
    tables = load_tables(write_store(tmp_path / "store", files))
    reason = tables.quality.excluded.set_index("customer_id").loc[1002, "reason"]
    assert reason == "no row in money.csv"
    assert list(tables.kept_customers) == [1001, 1003, 1004, 1005, 1006]


def test_bad_rows_fail_when_asked(tmp_path: Path) -> None:
    files = _replace("market_file.csv", "Кухонная посуда", "Игрушки")(store_files())
    with pytest.raises(
        InputDataError,
        match=r"(?s)market_file\.csv failed checks in 1 of 6 rows.*line 5: column 'Популярная_категория'",
    ):
        load_tables(write_store(tmp_path / "store", files), bad_rows="fail")


def _assert_no_silent_loss(tables, folder: Path) -> None:
    for name in ("market_file", "market_money", "market_time", "money"):
        text = (folder / f"{name}.csv").read_text(encoding="utf-8")
        data_lines = {n for n, line in enumerate(text.splitlines(), start=1) if n > 1 and line.strip()}
        kept = set(getattr(tables, name)["line"])
        quarantined = set(tables.quality.quarantine.query("file == @name + '.csv'")["line"])
        assert kept | quarantined == data_lines, name
        assert not kept & quarantined, name


def test_header_constant_matches_the_real_export(real_data: Path) -> None:
    first = (real_data / "market_file.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first == MARKET_FILE_HEADER
    assert isinstance(pd.read_csv(real_data / "market_file.csv").shape[0], int)
