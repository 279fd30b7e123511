"""Both periods scored by one model, batch by batch: probability, risk x profit cell and primary segment.

The segments use one grid for both periods, learned on the last one: high risk is the model's
threshold, high profit the last period's median profit (and any other learned value of
``segments.yaml`` too), so a customer who moves between cells moved, not the grid. The batches
come from DuckDB in id order and are scored by the model's ``predict_proba`` and segmented by
the batch engine's rules (``batch.score.assign_batch_segments``, which follows
``segments.assign_segments``); only a few columns per customer are kept, in Parquet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from oneclick.batch.score import assign_batch_segments, categories
from oneclick.batch.thresholds import compute_quantiles, needed_quantiles, resolve
from oneclick.features import LABEL, PROFIT
from oneclick.model import LoadedModel, check_schema
from oneclick.model.threads import one_thread
from oneclick.offers import OfferCatalogue
from oneclick.segments import SegmentScheme, Thresholds, load_segment_scheme
from oneclick.segments.conditions import RISK

SCORE_COLUMNS = ("customer_id", RISK, LABEL, PROFIT, "risk_profit_cell", "primary_segment")
_NO_OFFERS = OfferCatalogue(
    offers=(),
    horizon_months=3.0,
    revenue_column="",
    revenue_to_profit_units=1.0,
    min_expected_saved_profit=0.0,
    source="",
)


@dataclass(frozen=True)
class Grid:
    """The segment rules with every learned value made a number (learned on the last period)."""

    scheme: SegmentScheme
    thresholds: Thresholds

    @property
    def segment_names(self) -> list[str]:
        cells = [f"{r}_risk_{p}_profit" for r in ("high", "low") for p in ("high", "low")]
        return [*self.scheme.names, *cells]


def learn_grid(
    connection: duckdb.DuckDBPyConnection, customers: str, model_threshold: float, scheme: SegmentScheme | None = None
) -> Grid:
    """The segment grid learned on the relation ``customers`` (the last period)."""
    scheme = scheme or load_segment_scheme()
    needed = needed_quantiles(scheme, _NO_OFFERS)
    quantiles = compute_quantiles(connection.sql(f"SELECT * FROM {customers}"), needed)
    resolved, _, thresholds = resolve(scheme, _NO_OFFERS, quantiles, model_threshold)
    return Grid(resolved, thresholds)


def score_period(
    connection: duckdb.DuckDBPyConnection,
    customers: str,
    loaded: LoadedModel,
    grid: Grid,
    out_path: Path,
    *,
    batch_size: int = 100_000,
) -> str:
    """Score the relation ``customers`` with ``loaded``; write :data:`SCORE_COLUMNS` to ``out_path``."""
    schema = loaded.metadata["feature_schema"]
    names = [entry["name"] for entry in schema]
    reader = connection.sql(f"SELECT * FROM {customers} ORDER BY customer_id").to_arrow_reader(batch_size)
    writer: pq.ParquetWriter | None = None
    try:
        for batch in reader:
            if batch.num_rows == 0:
                continue
            frame = _typed(batch.to_pandas().set_index("customer_id"), schema)
            check_schema(loaded, frame[names])
            with one_thread():
                probability = loaded.model.predict_proba(frame[names])[:, 1]
            scoring = frame.assign(**{RISK: probability})
            _, primary, cell = assign_batch_segments(scoring, grid.scheme, grid.thresholds)
            table = pa.table(
                {
                    "customer_id": pa.array(frame.index.to_numpy("int64")),
                    RISK: pa.array(probability),
                    LABEL: pa.array(frame[LABEL], pa.bool_(), from_pandas=True),  # missing: unlabelled
                    PROFIT: pa.array(frame[PROFIT].to_numpy(float)),
                    "risk_profit_cell": pa.array(cell.astype(str)),
                    "primary_segment": pa.array(primary.astype(str)),
                }
            )
            if writer is None:
                writer = pq.ParquetWriter(out_path, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return str(out_path)


def _typed(frame: pd.DataFrame, schema: list[dict]) -> pd.DataFrame:
    """Text columns as the model's categories, in its order (LightGBM reads the codes)."""
    for entry in schema:
        if entry["dtype"] == "category":
            frame[entry["name"]] = pd.Categorical(
                frame[entry["name"]].astype(str), dtype=categories(entry["categories"])
            )
    return frame
