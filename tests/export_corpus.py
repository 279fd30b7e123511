"""A corpus of the store's exports, sound and broken, each with what reading it must give (issue 10).

Every case starts from the six hand-made customers of ``store_exports`` (or 30 of them, for a
revenue outlier fence) and changes one thing. What is expected is stated absolutely, for any
engine: refused with a message, or which lines are quarantined with which reason, which
customers are excluded with which reason and who is kept. Line numbers are the file's lines
(header = 1, blank lines count); in Parquet, row numbers.

Lines of the plain exports: market_file.csv and money.csv: customer 1001 + k on line k + 2;
market_money.csv: customer n (0-based) and month k on line 2 + 3n + k; market_time.csv: 2 + 2n + k.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import export_changes as ch
from store_exports import store_files

SIX = (1001, 1002, 1003, 1004, 1005, 1006)
THIRTY = tuple(range(1001, 1031))
NO_ROW = "no row in {} \\(a row of it was quarantined\\)"
NO_MONTH = "no row for period '{}' in {}"


@dataclass(frozen=True)
class Row:
    """A quarantined row: its file and line, its reason (a regex found in it) and, if stated, how its
    value (as written to quarantine.csv) begins (a regex)."""

    file: str
    line: int
    reason: str
    value: str | None = None


@dataclass(frozen=True)
class Case:
    """One set of exports and what reading it must give."""

    name: str
    files: Callable[[], ch.Files]
    policy: Mapping[str, Any] = field(default_factory=dict)  # load_tables keywords (= Settings fields)
    refused: str | None = None  # the InputDataError message matches this regex
    quarantined: tuple[Row, ...] = ()  # exactly these lines, each with a matching reason
    excluded: Mapping[int, str] | None = field(default_factory=dict)  # customer -> reason regex; None: unstated
    customers: tuple[int, ...] = SIX  # the customers of the exports; the kept ones are these minus the excluded
    same_as_plain: bool = False  # the same kept customers and values as the plain UTF-8 exports


def _store(change: ch.Change | None = None, **options: Any) -> Callable[[], ch.Files]:
    def build() -> ch.Files:
        files: ch.Files = dict(store_files(**options))
        return change(files) if change else files

    return build


def _dialect(name: str, change: ch.Change) -> Case:
    return Case(name, _store(change), same_as_plain=True)


def _bad(name: str, change: ch.Change, row: Row, excluded: Mapping[int, str] | None) -> Case:
    return Case(name, _store(change), quarantined=(row,), excluded=excluded)


def _refused(name: str, change: ch.Change, message: str, **policy: Any) -> Case:
    return Case(name, _store(change), policy=MappingProxyType(policy), refused=message)


PLAIN = Case("plain UTF-8, LF (money.csv: ';', decimal comma, CRLF)", _store(), same_as_plain=True)
A_FEW_BAD_ROWS = Case(
    "a few bad rows in three files",
    _store(
        ch.chain(
            ch.replace("market_file.csv", "Кухонная посуда", "Игрушки"),
            ch.replace("market_money.csv", "1002,текущий_месяц,4120.0", "1002,текущий_месяц,-5"),
            ch.append("money.csv", "1004;3,13\r\n"),
        )
    ),
    quarantined=(
        Row("market_file.csv", 5, "column 'Популярная_категория': unknown value 'Игрушки'"),
        Row("market_money.csv", 7, "column 'Выручка': expected a value >= 0, found '-5'", value="'-5$"),
        Row("money.csv", 8, r"exact repeat of another row with key \(id\) = \(1004\).*first copy kept"),
    ),
    excluded={
        1002: NO_MONTH.format("текущий_месяц", "market_money.csv") + " \\(a row of it was quarantined\\)",
        1004: NO_ROW.format("market_file.csv"),
    },
)

DIALECTS = [
    PLAIN,
    _dialect("UTF-8 with BOM", ch.encode(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"))),
    _dialect("CP1251", ch.encode(lambda text: text.encode("cp1251"))),
    _dialect("UTF-16 with BOM", ch.encode(lambda text: text.encode("utf-16"))),
    _dialect("CRLF everywhere", ch.line_endings("\r\n")),
    _dialect("LF everywhere", ch.line_endings("\n")),
    _dialect("separator semicolon, decimal commas", ch.separator(";", decimal_comma=True)),
    _dialect("separator tab", ch.separator("\t", decimal_comma=False)),
    _dialect("separator pipe, decimal commas", ch.separator("|", decimal_comma=True)),
    _dialect("every field quoted, the header too", ch.quote_every_field),
    _dialect(
        "a quoted field holding the separator (a decimal comma)",
        ch.replace("market_file.csv", "1001,Снизилась,премиум,да,3.4,", '1001,Снизилась,премиум,да,"3,4",'),
    ),
    _dialect(
        "shuffled columns",
        ch.chain(
            ch.reorder_columns("market_file.csv", [12, 3, 0, 8, 1, 11, 2, 10, 4, 9, 5, 7, 6]),
            ch.reorder_columns("market_money.csv", [2, 0, 1]),
        ),
    ),
    Case("Parquet", _store(ch.as_parquet), same_as_plain=True),
]

REFUSED = [
    _refused(
        "a missing column",
        ch.replace("market_file.csv", ",Ошибка_сервиса", ""),
        r"market_file\.csv: line 1 \(header\): column\(s\) \['Ошибка_сервиса'\] missing",
    ),
    _refused(
        "an extra column",
        ch.replace("market_time.csv", "id,Период,минут", "id,Период,минут,комментарий"),
        r"market_time\.csv: line 1 \(header\): unexpected column\(s\) \['комментарий'\]",
    ),
    _refused(
        "a renamed column",
        ch.replace("market_money.csv", "id,Период,Выручка", "id,Период,Выручка_руб"),
        r"market_money\.csv: line 1 \(header\): column\(s\) \['Выручка'\] missing; "
        r"unexpected column\(s\) \['Выручка_руб'\]",
    ),
    _refused(
        "a repeated column",
        ch.replace("money.csv", "id;Прибыль", "id;Прибыль;Прибыль"),
        r"money\.csv: line 1 \(header\): column\(s\) \['Прибыль'\] appear more than once",
    ),
    _refused("an empty file", ch.set_file("market_file.csv", ""), r"market_file\.csv: the file is empty"),
    _refused(
        "a header-only file",
        ch.set_file("money.csv", "id;Прибыль\r\n"),
        r"money\.csv: the file has a header but no data rows",
    ),
    _refused(
        "binary garbage",
        ch.set_file("market_money.csv", bytes(range(256)) * 4),
        r"market_money\.csv: cannot read the header",
    ),
    _refused(
        "an unsupported encoding (KOI8-R)",
        lambda files: files | {"market_file.csv": str(files["market_file.csv"]).encode("koi8_r")},
        r"market_file\.csv: cannot read the header in any supported encoding",
    ),
    _refused(
        "more than half the rows bad",
        ch.set_cells("market_time.csv", range(2, 9), 2, "x"),
        r"(?s)market_time\.csv failed checks in 7 of 12 rows, more than 50% of its rows:\n"
        r"  - line 2: column 'минут': expected a whole number, found 'x'",
    ),
    _refused(
        "one bad row with bad_rows='fail'",
        ch.replace("market_file.csv", "Кухонная посуда", "Игрушки"),
        r"(?s)market_file\.csv failed checks in 1 of 6 rows \(bad_rows='fail' stops at any bad row\):\n"
        r"  - line 5: column 'Популярная_категория': unknown value 'Игрушки'",
        bad_rows="fail",
    ),
]

LINES = [
    _bad(
        "garbage bytes inside one line",
        ch.encode_bytes("market_file.csv", "Кухонная посуда".encode(), b"\xff\xfe\xc3(\x81 garbage"),
        Row("market_file.csv", 5, ""),  # any reason: the line is quarantined, the file is not refused
        {1004: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "a truncated last line",
        lambda files: files | {"market_file.csv": str(files["market_file.csv"]).rstrip("\n")[:-12]},
        Row("market_file.csv", 7, r"has 9 fields, expected 13.*truncated"),
        {1006: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "a line with a field too many",
        ch.replace("market_file.csv", "1005,Прежний уровень,премиум,нет,3.9", "1005,Прежний уровень,премиум,нет,3,9"),
        Row("market_file.csv", 6, r"has 14 fields, expected 13"),
        {1005: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "the header repeated inside the file",
        ch.insert_line("market_money.csv", 10, "id,Период,Выручка"),
        Row("market_money.csv", 11, "repeats the header"),
        {},
    ),
    _bad(
        "a huge cell (1,000,000 characters)",
        ch.replace("market_file.csv", "Косметика и аксесуары", "x" * 1_000_000),
        Row("market_file.csv", 4, "characters", value="x"),
        {1003: NO_ROW.format("market_file.csv")},
    ),
    Case("a blank line in the middle", _store(ch.insert_line("market_money.csv", 7, "")), same_as_plain=True),
    _bad(
        "a blank line before a bad row (it counts as a line)",
        ch.chain(
            ch.replace("market_money.csv", "1005,текущий_месяц,4420.0", "1005,текущий_месяц,-5"),
            ch.insert_line("market_money.csv", 4, ""),
        ),
        Row("market_money.csv", 17, "column 'Выручка': expected a value >= 0, found '-5'", value="'-5$"),
        {1005: NO_MONTH.format("текущий_месяц", "market_money.csv")},
    ),
    _bad(
        "a formula in a text cell (CSV injection)",
        ch.replace("market_file.csv", "Техника для красоты и здоровья", '"=HYPERLINK(""http://x"",""y"")"'),
        Row("market_file.csv", 6, "column 'Популярная_категория': unknown value", value="'=HYPERLINK"),
        {1005: NO_ROW.format("market_file.csv")},
    ),
]

VALUES = [
    _bad(
        "text in a number",
        ch.replace("market_file.csv", "1005,Прежний уровень,премиум,нет,3.9", "1005,Прежний уровень,премиум,нет,abc"),
        Row("market_file.csv", 6, "column 'Маркет_актив_6_мес': expected a number, found 'abc'", value="abc$"),
        {1005: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "an empty number",
        ch.replace("money.csv", "1003;5,12", "1003;"),
        Row("money.csv", 4, "column 'Прибыль': missing value"),
        {1003: NO_ROW.format("money.csv")},
    ),
    _bad(
        "a negative count",
        ch.replace("market_file.csv", "Кухонная посуда,2,0,3,11", "Кухонная посуда,2,0,-3,11"),
        Row("market_file.csv", 5, "column 'Ошибка_сервиса': expected a value >= 0, found '-3'", value="'-3$"),
        {1004: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "a share out of range",
        ch.replace("market_file.csv", "0.95,Мелкая", "1.95,Мелкая"),
        Row("market_file.csv", 7, "column 'Акционные_покупки': expected a value <= 1, found '1.95'"),
        {1006: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "1e308 revenue",
        ch.replace("market_money.csv", "1002,текущий_месяц,4120.0", "1002,текущий_месяц,1e308"),
        Row("market_money.csv", 7, "column 'Выручка': expected a value <= 1000000000, found '1e308'"),
        {1002: NO_MONTH.format("текущий_месяц", "market_money.csv")},
    ),
    _bad(
        "NaN minutes",
        ch.replace("market_time.csv", "1002,текущий_месяц,12", "1002,текущий_месяц,NaN"),
        Row("market_time.csv", 5, "column 'минут': missing value"),
        {1002: NO_MONTH.format("текущий_месяц", "market_time.csv")},
    ),
    _bad(
        "infinite profit",
        ch.replace("money.csv", "1003;5,12", "1003;inf"),
        Row("money.csv", 4, "column 'Прибыль': expected a finite number, found 'inf'"),
        {1003: NO_ROW.format("money.csv")},
    ),
    _bad(
        "an unknown category",
        ch.replace("market_file.csv", "Кухонная посуда", "Игрушки"),
        Row("market_file.csv", 5, "column 'Популярная_категория': unknown value 'Игрушки'"),
        {1004: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "an unknown label",
        ch.replace("market_file.csv", "1002,Снизилась", "1002,Выросла"),
        Row("market_file.csv", 3, "column 'Покупательская активность': unknown value 'Выросла'"),
        {1002: NO_ROW.format("market_file.csv")},
    ),
    _bad(
        "an unknown period",
        ch.replace("market_time.csv", "1003,текущий_месяц", "1003,следующий_месяц"),
        Row("market_time.csv", 7, "column 'Период': unknown value 'следующий_месяц'"),
        {1003: NO_MONTH.format("текущий_месяц", "market_time.csv")},
    ),
    _bad(
        "a period of the other table",
        ch.replace("market_time.csv", "1003,текущий_месяц", "1003,препредыдущий_месяц"),
        Row("market_time.csv", 7, "column 'Период': expected a value one of"),
        {1003: NO_MONTH.format("текущий_месяц", "market_time.csv")},
    ),
    # README: "a customer with a quarantined row is excluded"; 1004 still has both months: unstated.
    _bad(
        "an extra period",
        ch.append("market_time.csv", "1004,препредыдущий_месяц,14\n"),
        Row("market_time.csv", 14, "column 'Период': expected a value one of"),
        None,
    ),
]

KEYS = [
    _bad(
        "an exact duplicate row",
        ch.append("money.csv", "1004;3,13\r\n"),
        Row("money.csv", 8, r"exact repeat of another row with key \(id\) = \(1004\).*first copy kept"),
        {},
    ),
    Case(
        "a conflicting duplicate key",
        _store(ch.append("market_money.csv", "1005,текущий_месяц,1.0\n")),
        quarantined=(
            Row("market_money.csv", 16, r"key \(id, Период\) = \(1005, текущий_месяц\) appears on lines 16, 20"),
            Row("market_money.csv", 20, r"key \(id, Период\) = \(1005, текущий_месяц\) appears on lines 16, 20"),
        ),
        excluded={1005: NO_MONTH.format("текущий_месяц", "market_money.csv")},
    ),
    Case(
        "a customer missing from one table",
        _store(ch.drop("money.csv", "1002;4,11\r\n")),
        excluded={1002: "^no row in money.csv$"},
    ),
    Case(
        "a customer missing from one month",
        _store(ch.drop("market_money.csv", "1003,текущий_месяц,4220.0\n")),
        excluded={1003: "^" + NO_MONTH.format("текущий_месяц", "market_money.csv") + "$"},
    ),
]

POLICIES = [
    Case("an inactive customer", _store(inactive=True), excluded={1001: "^inactive: zero revenue in "}),
    Case(
        "an inactive customer, inactive_policy='keep'",
        _store(inactive=True),
        policy=MappingProxyType({"inactive_policy": "keep"}),
    ),
    Case("a revenue outlier, capped", _store(n_customers=30, outlier_revenue=100_000.0), customers=THIRTY),
    Case(
        "a revenue outlier, outlier_policy='exclude'",
        _store(n_customers=30, outlier_revenue=100_000.0),
        policy=MappingProxyType({"outlier_policy": "exclude"}),
        excluded={1030: r"^revenue outlier 100,000\.0 in 'текущий_месяц' \(above "},
        customers=THIRTY,
    ),
    Case(
        "Parquet with a bad value (row numbers)",
        _store(ch.chain(ch.replace("market_file.csv", "Кухонная посуда", "Игрушки"), ch.as_parquet)),
        quarantined=(Row("market_file.parquet", 4, "column 'Популярная_категория': unknown value 'Игрушки'"),),
        excluded={1004: NO_ROW.format("market_file.parquet")},
    ),
]

CASES = [*DIALECTS, *REFUSED, *LINES, *VALUES, *KEYS, *POLICIES, A_FEW_BAD_ROWS]
assert len({case.name for case in CASES}) == len(CASES), "case names are test ids: keep them unique"
