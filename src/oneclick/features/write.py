"""Write the customer table as Parquet, with each feature's group in the file itself."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from oneclick.features.groups import FEATURES

GROUPS_METADATA_KEY = b"oneclick.feature_groups"


def feature_schema() -> list[dict[str, str]]:
    """Name, group, kind and labels of every feature: the table's data dictionary."""
    return [
        {"name": f.name, "group": f.group, "kind": f.kind, "ru": f.ru, "en": f.en, "unit": f.unit} for f in FEATURES
    ]


def write_customer_table(table: pd.DataFrame, path: Path) -> Path:
    """Write ``table`` to ``path`` (Parquet); the feature groups go into the schema metadata.

    >>> groups = read_feature_groups(write_customer_table(table, tmp / "f.parquet"))  # doctest: +SKIP
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    arrow = pa.Table.from_pandas(table.reset_index(), preserve_index=False)
    metadata = dict(arrow.schema.metadata or {})
    metadata[GROUPS_METADATA_KEY] = json.dumps(feature_schema(), ensure_ascii=False).encode("utf-8")
    pq.write_table(arrow.replace_schema_metadata(metadata), path)
    return path


def read_feature_groups(path: Path) -> dict[str, str]:
    """Feature name -> group, as written into a customer table by :func:`write_customer_table`."""
    metadata = pq.read_schema(path).metadata or {}
    return {item["name"]: item["group"] for item in json.loads(metadata[GROUPS_METADATA_KEY])}
