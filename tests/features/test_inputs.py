"""A customer as a caller sends it: the fields follow ingest's schemas, the features the feature SQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from oneclick import build_customer_table, load_tables
from oneclick.errors import InputDataError
from oneclick.features import DERIVED_FEATURES, FEATURE_NAMES, customer_rows, input_fields
from oneclick.ingest.schemas import MarketFileSchema, MarketTimeSchema


def test_every_feature_can_be_sent_and_the_label_cannot() -> None:
    names = {field.name for field in input_fields()}
    assert set(FEATURE_NAMES) | {"customer_id", "profit"} == names
    assert "activity_level" not in names and "declined" not in names
    optional = {field.name for field in input_fields() if not field.required}
    assert optional == {"customer_id", "profit", *DERIVED_FEATURES}


def test_the_bounds_are_those_of_the_pandera_schemas() -> None:
    fields = {field.name: field for field in input_fields()}
    pages = MarketFileSchema.to_schema().columns["pages_per_visit"]
    assert [c.statistics for c in pages.checks] == [
        {"min_value": fields["pages_per_visit"].minimum},
        {"max_value": fields["pages_per_visit"].maximum},
    ]
    minutes = MarketTimeSchema.to_schema().columns["minutes"].checks[-1].statistics["max_value"]
    assert fields["minutes_current_month"].maximum == fields["minutes_previous_month"].maximum == minutes
    assert fields["favourite_category"].allowed is not None and "kids_goods" in fields["favourite_category"].allowed
    assert fields["customer_id"].exclusive_minimum == 0


def test_a_sent_customer_becomes_the_row_the_feature_table_has(store_dir: Path) -> None:
    table = build_customer_table(load_tables(store_dir))
    sent = table.drop(columns=["declined", *DERIVED_FEATURES]).reset_index()
    sent = sent.astype({c: object for c in ("service_type", "favourite_category")})  # as JSON brings them
    rows = customer_rows(sent)
    expected = table.drop(columns=["declined"])
    pd.testing.assert_frame_equal(rows, expected, check_categorical=False)
    assert {c: str(t) for c, t in rows.dtypes.items() if str(t) != "category"} == {
        c: str(t) for c, t in expected.dtypes.items() if str(t) != "category"
    }


def test_a_derived_feature_sent_must_agree_with_its_formula(store_dir: Path) -> None:
    table = build_customer_table(load_tables(store_dir)).drop(columns=["declined"]).reset_index()
    assert customer_rows(table)["revenue_change"].tolist() == table["revenue_change"].tolist()
    wrong = table.assign(revenue_change=table["revenue_change"] + 1)
    with pytest.raises(InputDataError, match=r"customer 0: revenue_change=.* disagrees"):
        customer_rows(wrong)


def test_without_an_id_or_profit_customers_are_numbered_and_have_no_profit(store_dir: Path) -> None:
    table = build_customer_table(load_tables(store_dir)).drop(columns=["declined", "profit"]).reset_index(drop=True)
    rows = customer_rows(table)
    assert rows.index.tolist() == list(range(1, len(table) + 1))
    assert rows["profit"].isna().all()
