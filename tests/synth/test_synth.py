"""The synthetic data looks like the store's export, defects included, and is learnable like it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from oneclick import build_features, load_tables
from oneclick.errors import ConfigError, InputDataError
from oneclick.synth import generate_tables, write_synthetic_dataset, write_tables
from oneclick.synth.generate import CHUNK_SIZE
from store_exports import MARKET_FILE_HEADER

NAMES = ("market_file", "market_money", "market_time", "money")
HEADERS = {
    "market_file": MARKET_FILE_HEADER.split(","),
    "market_money": ["id", "Период", "Выручка"],
    "market_time": ["id", "Период", "минут"],
    "money": ["id", "Прибыль"],
}
REVENUE_PERIODS = {"препредыдущий_месяц", "предыдущий_месяц", "текущий_месяц"}
CATEGORIES = {
    "Товары для детей",
    "Домашний текстиль",
    "Косметика и аксессуары",
    "Техника для красоты и здоровья",
    "Мелкая бытовая техника и электроника",
    "Кухонная посуда",
}
CATEGORIES_AS_EXPORTED = CATEGORIES - {"Косметика и аксессуары"} | {"Косметика и аксесуары"}


def _write(folder: Path, n: int = 1_000, **options) -> dict[str, Path]:
    return write_synthetic_dataset(folder, n, **options)


def _read(paths: dict[str, Path], *, quirks: bool = True) -> dict[str, pd.DataFrame]:
    """The written CSVs as pandas reads them; money.csv in the spreadsheet dialect if quirks."""
    money = {"sep": ";", "decimal": ","} if quirks else {}
    return {name: pd.read_csv(path, **(money if name == "money" else {})) for name, path in paths.items()}


def _customer_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per customer: market_file, revenue and minutes per period, profit."""
    revenue = tables["market_money"].pivot(index="id", columns="Период", values="Выручка")
    minutes = tables["market_time"].pivot(index="id", columns="Период", values="минут")
    return (
        tables["market_file"]
        .set_index("id")
        .join(revenue.add_prefix("revenue_"))
        .join(minutes.add_prefix("minutes_"))
        .join(tables["money"].set_index("id"))
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(tmp_path: Path, fmt: str) -> None:
    first = _write(tmp_path / "a", seed=5, fmt=fmt)
    again = _write(tmp_path / "b", seed=5, fmt=fmt)
    other = _write(tmp_path / "c", seed=6, fmt=fmt)
    for name in NAMES:
        assert first[name].read_bytes() == again[name].read_bytes(), name
        assert first[name].read_bytes() != other[name].read_bytes(), name


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_streaming_writes_the_same_bytes_as_writing_generated_tables(tmp_path: Path, fmt: str) -> None:
    streamed = _write(tmp_path / "streamed", seed=2, fmt=fmt)
    written = write_tables(generate_tables(1_000, seed=2), tmp_path / "written", fmt=fmt)
    for name in NAMES:
        assert streamed[name].read_bytes() == written[name].read_bytes(), name


def test_headers_and_vocabularies_are_the_exports(tmp_path: Path) -> None:
    tables = _read(_write(tmp_path))
    for name in NAMES:
        assert list(tables[name].columns) == HEADERS[name]
    market_file = tables["market_file"]
    assert set(market_file["Покупательская активность"]) == {"Снизилась", "Прежний уровень"}
    assert set(market_file["Тип сервиса"]) == {"стандарт", "премиум", "стандартт"}
    assert set(market_file["Разрешить сообщать"]) == {"да", "нет"}
    assert set(market_file["Популярная_категория"]) == CATEGORIES_AS_EXPORTED
    assert set(tables["market_money"]["Период"]) == REVENUE_PERIODS
    assert set(tables["market_time"]["Период"]) == {"предыдцщий_месяц", "текущий_месяц"}


def test_headers_equal_the_real_files(tmp_path: Path, real_data: Path) -> None:
    paths = _write(tmp_path)
    for name, path in paths.items():
        real_header = (real_data / path.name).read_text(encoding="utf-8").splitlines()[0]
        ours = path.read_text(encoding="utf-8").splitlines()[0]
        assert ours == real_header, name


def test_ids_run_on_and_each_customer_has_one_row_per_period(tmp_path: Path) -> None:
    tables = _read(_write(tmp_path, n=700))
    ids = np.arange(215348, 215348 + 700)
    assert tables["market_file"]["id"].tolist() == ids.tolist()
    assert tables["money"]["id"].tolist() == ids.tolist()
    for name, n_periods in (("market_money", 3), ("market_time", 2)):
        table = tables[name]
        # A customer's rows are together, in varying period order, as in the real file.
        assert table["id"].tolist() == np.repeat(ids, n_periods).tolist()
        assert (table.groupby("id")["Период"].nunique() == n_periods).all()
        assert table.groupby("id")["Период"].agg(tuple).nunique() > 1


def test_numbers_are_spelled_as_in_the_export(tmp_path: Path) -> None:
    paths = _write(tmp_path, quirks=False)
    rows = {name: path.read_text(encoding="utf-8").splitlines()[1:] for name, path in paths.items()}
    revenue = pd.Series([row.rsplit(",", 1)[1] for row in rows["market_money"]])
    assert revenue.str.fullmatch(r"\d+\.\d").all()
    assert pd.Series([row.rsplit(",", 1)[1] for row in rows["market_time"]]).str.fullmatch(r"\d+").all()
    assert pd.Series([row.split(",")[7] for row in rows["market_file"]]).str.fullmatch(r"[01]\.\d\d?").all()
    assert pd.Series([row.split(",")[1] for row in rows["money"]]).str.fullmatch(r"\d\.\d\d?").all()


def test_quirks_on_the_files_look_like_the_real_exports(tmp_path: Path) -> None:
    paths = _write(tmp_path, n=2_000)
    money = paths["money"].read_bytes()
    assert money.startswith("id;Прибыль\r\n".encode())
    assert money.count(b"\n") == money.count(b"\r\n") == 2_001
    assert b"." not in money and b"," in money
    for name in ("market_file", "market_money", "market_time"):
        data = paths[name].read_bytes()
        assert data.startswith(b"id,") and b"\r" not in data and b";" not in data, name
    tables = _read(paths)
    typos = (tables["market_file"]["Тип сервиса"] == "стандартт").mean()
    assert 0.002 < typos < 0.02
    wide = _customer_table(tables)
    inactive = (wide["revenue_препредыдущий_месяц"] == 0) & (wide["revenue_предыдущий_месяц"] == 0)
    assert 1 <= inactive.sum() <= 10
    current = wide["revenue_текущий_месяц"]
    assert (current > 10 * current.median()).sum() == 1


def test_quirks_off_nothing_is_misspelled_or_odd(tmp_path: Path) -> None:
    paths = _write(tmp_path, n=2_000, quirks=False)
    assert paths["money"].read_bytes().startswith("id,Прибыль\n".encode())
    for path in paths.values():
        assert b"\r" not in path.read_bytes() and b";" not in path.read_bytes(), path.name
    tables = _read(paths, quirks=False)
    assert set(tables["market_file"]["Тип сервиса"]) == {"стандарт", "премиум"}
    assert set(tables["market_file"]["Популярная_категория"]) == CATEGORIES
    assert set(tables["market_time"]["Период"]) == {"предыдущий_месяц", "текущий_месяц"}
    revenue = tables["market_money"]["Выручка"]
    assert revenue.min() > 0 and revenue.max() < 3 * revenue.median()


def test_quirks_change_the_spelling_not_the_customers() -> None:
    with_quirks = generate_tables(500, seed=1)["market_file"]
    without = generate_tables(500, seed=1, quirks=False)["market_file"]
    assert with_quirks["Покупательская активность"].equals(without["Покупательская активность"])
    assert with_quirks["Страниц_за_визит"].equals(without["Страниц_за_визит"])


def test_parquet_holds_the_same_typed_tables(tmp_path: Path) -> None:
    paths = _write(tmp_path, n=500, seed=4, fmt="parquet")
    expected = generate_tables(500, seed=4)
    for name in NAMES:
        assert paths[name].suffix == ".parquet"
        pd.testing.assert_frame_equal(pd.read_parquet(paths[name]), expected[name])


def test_marginals_and_label_balance_are_plausible() -> None:
    tables = generate_tables(2_000, seed=0, quirks=False)
    market_file = tables["market_file"]
    declined = (market_file["Покупательская активность"] == "Снизилась").mean()
    assert 0.33 < declined < 0.43
    assert 3.8 < tables["money"]["Прибыль"].mean() < 4.2
    cents = tables["money"]["Прибыль"] * 100
    assert (cents - cents.round()).abs().max() < 1e-6
    assert 4_700 < tables["market_money"]["Выручка"].mean() < 5_300
    assert 7.5 < market_file["Страниц_за_визит"].mean() < 9.0


def test_declined_customers_behave_as_in_the_real_data() -> None:
    wide = _customer_table(generate_tables(4_000, seed=0, quirks=False))
    by_label = wide.groupby("Покупательская активность").mean(numeric_only=True)
    declined, unchanged = by_label.loc["Снизилась"], by_label.loc["Прежний уровень"]
    for fewer in ("Страниц_за_визит", "minutes_текущий_месяц", "Средний_просмотр_категорий_за_визит"):
        assert declined[fewer] < unchanged[fewer], fewer
    for more in ("Акционные_покупки", "Неоплаченные_продукты_штук_квартал"):
        assert declined[more] > unchanged[more], more
    assert declined["Маркет_актив_6_мес"] < unchanged["Маркет_актив_6_мес"]
    assert abs(declined["Прибыль"] - unchanged["Прибыль"]) < 0.15


def test_a_plain_logistic_regression_scores_like_on_the_real_data(tmp_path: Path) -> None:
    """Read back through oneclick's own ingest, as a user would: quirks, exclusions and all."""
    X, y = build_features(load_tables(_write(tmp_path, n=4_000, seed=0)["market_file"].parent))
    categorical = ["service_type", "allows_messages", "favourite_category"]
    numeric = [column for column in X.columns if column not in categorical]
    model = make_pipeline(
        ColumnTransformer([("num", StandardScaler(), numeric), ("cat", OneHotEncoder(), categorical)]),
        LogisticRegression(max_iter=1_000),
    )
    x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)
    model.fit(x_train, y_train)
    auc = roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])
    assert 0.85 <= auc <= 0.95


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n_customers": 0}, "n_customers"),
        ({"seed": -1}, "seed"),
        ({"fmt": "xlsx"}, "fmt"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, arguments: dict, message: str) -> None:
    options = {"n_customers": 10, **arguments}
    with pytest.raises(ConfigError, match=message):
        write_synthetic_dataset(tmp_path / "out", **options)
    assert not (tmp_path / "out").exists()


def test_write_tables_names_what_is_wrong(tmp_path: Path) -> None:
    tables = generate_tables(10)
    tables["market_money"] = tables["market_money"].rename(columns={"Выручка": "revenue"})
    del tables["money"]
    with pytest.raises(InputDataError, match="2 problem") as error:
        write_tables(tables, tmp_path)
    assert "'money' is missing" in str(error.value) and "found ['id', 'Период', 'revenue']" in str(error.value)


@pytest.mark.slow
def test_a_data_set_of_several_chunks_is_the_same_streamed_or_generated(tmp_path: Path) -> None:
    n = CHUNK_SIZE + 1_000
    streamed = _write(tmp_path / "streamed", n=n, seed=9, fmt="parquet")
    written = write_tables(generate_tables(n, seed=9), tmp_path / "written", fmt="parquet")
    for name in NAMES:
        assert streamed[name].read_bytes() == written[name].read_bytes(), name
    market_money = pd.read_parquet(streamed["market_money"])
    assert market_money["id"].is_monotonic_increasing and market_money["id"].nunique() == n
    assert (market_money["Выручка"] > 20_000).sum() == 1
