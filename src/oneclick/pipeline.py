"""The main job, stage after stage: ingest -> features -> model -> segments and offers -> report.

Used by the CLI's ``run`` command; each stage lives in its own package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from oneclick.config import Settings
from oneclick.exports import write_csv
from oneclick.features import LABEL, build_customer_table
from oneclick.features.groups import FEATURE_NAMES
from oneclick.features.write import write_customer_table
from oneclick.ingest import StoreTables, load_tables
from oneclick.language import Lang
from oneclick.layout import CATALOGUE_FILE, CHANGES_FILE, FEATURES_FILE, MODEL_DIR, SCORES_FILE
from oneclick.record import fingerprint, library_versions, run_record, write_run_file

if TYPE_CHECKING:  # the model stage imports scikit-learn and LightGBM: only when a step needs it
    from oneclick.model import TrainResult
    from oneclick.offers import OffersResult
    from oneclick.periods import Changes, PreviousPeriod

Progress = Callable[[str, int, int], None]


@dataclass
class RunResult:
    """Where a run wrote its outputs."""

    out_dir: Path
    data_dir: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    run_id: str | None = None  # in the store, when the run was registered
    changes: Changes | None = None  # the comparison with the last period, when there was one


def load_with(settings: Settings, data_dir: Path) -> StoreTables:
    """Load the tables with the cleaning policy of ``settings``."""
    return load_tables(
        data_dir,
        inactive_policy=settings.inactive_policy,
        outlier_policy=settings.outlier_policy,
        outlier_iqr_factor=settings.outlier_iqr_factor,
        bad_rows=settings.bad_rows,
        max_bad_row_share=settings.max_bad_row_share,
    )


def run_pipeline(
    data_dir: Path,
    out_dir: Path,
    settings: Settings,
    progress: Progress | None = None,
    languages: tuple[Lang, ...] = ("ru",),
    store: Path | None = None,
    period: str | None = None,
    previous: PreviousPeriod | None = None,
) -> RunResult:
    """Run every stage on the tables in ``data_dir`` and write the results into ``out_dir``.

    The model goes to ``out_dir/model`` (see ``oneclick train``), the scores to ``out_dir/scores.csv``,
    offers and segments beside them (see ``oneclick offers``), the report to ``out_dir/report.html``.
    With ``store``, the run, its tables and its model are registered there: the model becomes the
    champion only when it is the store's first (see :mod:`oneclick.store.registry`). ``period``:
    what the data is called (see :func:`training_period`). ``previous``: the last period the run is
    compared with, with a store (default: the store's newest run of another export; see
    :mod:`oneclick.periods.previous`); the comparison goes to ``changes.json`` and the report.
    """
    from oneclick.periods import PreviousPeriod

    previous = previous or PreviousPeriod()
    previous.check(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / CHANGES_FILE).unlink(missing_ok=True)  # an earlier run's, in the same folder
    result = RunResult(out_dir, data_dir)
    tables = load_with(settings, data_dir)
    result.outputs.update(tables.quality.write(out_dir))
    customers = build_customer_table(tables)
    result.outputs["features"] = write_customer_table(customers, out_dir / FEATURES_FILE)
    X, y = customers[FEATURE_NAMES], customers[LABEL].astype("int64")
    _, model_paths = train_and_save(
        X, y, tables, out_dir / MODEL_DIR, settings, progress=progress, data_dir=data_dir, period=period
    )
    result.outputs["model"] = model_paths["model"]
    result.outputs["metrics"] = model_paths["metrics"]
    scores = score_saved(X, out_dir / MODEL_DIR)
    result.outputs["scores"] = write_scores(scores, out_dir / SCORES_FILE)
    catalogue = store_catalogue(store, out_dir)
    offers = choose_offers_for(customers, scores, out_dir / MODEL_DIR, settings, catalogue=catalogue)
    result.outputs.update(offers.write(out_dir))
    result.outputs["run"] = write_run_record(out_dir, settings, tables)
    if store is not None:
        result.run_id = register_offers_run(
            store, "run", settings, tables, customers, scores, offers, data_dir, out_dir, out_dir / MODEL_DIR
        )
        from oneclick.report.campaign_file import write_campaign_results

        # The last campaign evaluated on this data: the report shows its results.
        carried = write_campaign_results(store, out_dir, data_fingerprint(tables))
        if carried is not None:
            result.outputs["campaign_results"] = carried
        result.changes = _changes(result.run_id, out_dir, store, previous, settings, progress)
        if result.changes is not None:
            result.outputs["changes"] = result.changes.path
    from oneclick.report import write_report

    for lang in languages:
        result.outputs[f"report_{lang}"] = write_report(out_dir, lang=lang)
    return result


def _changes(
    run_id: str, out_dir: Path, store: Path, previous: PreviousPeriod, settings: Settings, progress: Progress | None
) -> Changes | None:
    from oneclick.ingest import Policy
    from oneclick.periods import compare_with_previous

    policy = Policy.of(settings)
    return compare_with_previous(
        run_id, out_dir, store=store, previous=previous, policy=policy, seed=settings.seed, progress=progress
    )


def store_catalogue(store: Path | None, out_dir: Path) -> Path | None:
    """``out_dir/catalogue.yaml``: the store's current offer catalogue, written for the run to use and
    to keep (its report and the service read the offers' titles and figures from the run's source).

    None, and the run uses the shipped catalogue, when there is no store or it has no version of its
    own yet (``oneclick catalogue update`` makes one from a campaign's measured uplifts).
    """
    import yaml

    from oneclick.store import current_catalogue, reading

    (out_dir / CATALOGUE_FILE).unlink(missing_ok=True)  # an earlier run's, in the same folder
    if store is None or not Path(store).is_file():
        return None
    with reading(store) as connection:
        version = current_catalogue(connection)
    if version.created_at is None:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    path = (out_dir / CATALOGUE_FILE).resolve()  # the service may start elsewhere
    header = f"# the store's offer catalogue, version {version.version} ({store})\n"
    path.write_text(header + yaml.safe_dump(dict(version.catalogue), allow_unicode=True, sort_keys=False), "utf-8")
    return path


def choose_offers_for(
    customers: pd.DataFrame,
    scores: pd.DataFrame,
    model_dir: Path,
    settings: Settings,
    lang: Lang = "ru",
    *,
    catalogue: Path | None = None,
) -> OffersResult:
    """Segments, each customer's best offer and the campaign, from the scores of a saved model.

    ``catalogue``: an offer catalogue file (default: the shipped one; see :func:`store_catalogue`)."""
    from oneclick.model import load_model
    from oneclick.model.score import CONTRIBUTION_PREFIX
    from oneclick.offers import build_offers

    contributions = scores.filter(like=CONTRIBUTION_PREFIX, axis="columns")
    contributions.columns = [c.removeprefix(CONTRIBUTION_PREFIX) for c in contributions.columns]
    return build_offers(
        customers,
        scores["decline_probability"],
        contributions[FEATURE_NAMES],
        budget=settings.campaign_budget or None,
        model_threshold=load_model(model_dir).threshold,
        curve_points=settings.profit_curve_points,
        lang=lang,
        catalogue=catalogue,
    )


def train_and_save(
    X: pd.DataFrame,
    y: pd.Series,
    tables: StoreTables,
    model_dir: Path,
    settings: Settings,
    progress: Progress | None = None,
    *,
    data_dir: Path | None = None,
    period: str | None = None,
) -> tuple[TrainResult, dict[str, Path]]:
    """Train and evaluate the decline model, then save it with its metrics and metadata to ``model_dir``.

    ``data_dir`` and ``period`` are recorded as what the model was trained on (see
    :func:`training_period`), for the store's list of models.
    """
    from oneclick.model import train_model

    trained = train_model(X, y, settings, progress=progress)
    return trained, save_trained(trained, X, tables, model_dir, settings, data_dir=data_dir, period=period)


def save_trained(
    trained: TrainResult,
    X: pd.DataFrame,
    tables: StoreTables,
    model_dir: Path,
    settings: Settings,
    *,
    data_dir: Path | None = None,
    period: str | None = None,
) -> dict[str, Path]:
    """Save a trained model with its metrics and metadata (inputs, fingerprint, period) to ``model_dir``."""
    from oneclick.model import save_model

    metadata = {
        "seed": settings.seed,
        "settings": settings.as_dict(),
        "inputs": input_checksums(tables),
        "data_fingerprint": data_fingerprint(tables),
        "data_dir": str(data_dir) if data_dir is not None else None,
        "training_period": training_period(data_dir, period),
        "chosen_params": trained.metrics["selection"]["params"],
        "threshold": trained.threshold,
        "run_versions": library_versions(),
    }
    return save_model(
        trained.model,
        model_dir,
        metrics=trained.metrics,
        background=trained.background,
        X=X,
        metadata=metadata,
        holdout_predictions=trained.holdout_predictions,
    )


def training_period(data_dir: Path | None, period: str | None = None) -> str | None:
    """The period a model was trained on: ``period`` when given (``--period 2026-11``), else the data folder's name.

    The exports carry no calendar dates (their months are "this", "last", "the one before"), so
    the period is what the user calls the export; a folder per monthly export names it by default.
    """
    if period:
        return period
    return Path(data_dir).resolve().name if data_dir is not None else None


def score_saved(X: pd.DataFrame, model_dir: Path, lang: Lang = "ru") -> pd.DataFrame:
    """Decline probability, decision and top drivers of every customer in ``X``, by a saved model."""
    from oneclick.model import load_model, score_customers

    return score_customers(load_model(model_dir), X, lang=lang)


def write_scores(scores: pd.DataFrame, path: Path) -> Path:
    """Write the scores table (one row per customer id) as UTF-8 CSV, safe to open in a spreadsheet."""
    return write_csv(scores, path, index=True, index_label="customer_id")


def register_offers_run(
    store: Path,
    kind: str,
    settings: Settings,
    tables: StoreTables,
    customers: pd.DataFrame,
    scores: pd.DataFrame,
    offers: OffersResult,
    data_dir: Path,
    out_dir: Path,
    model_dir: Path,
) -> str:
    """Register a run that chose offers (``run`` trains its model too: the champion if the store has none)."""
    from oneclick.offers.summary import plain
    from oneclick.store.register import register

    profiles = offers.segment_profiles
    return register(
        store,
        kind,
        settings=settings,
        quality=tables.quality,
        data_dir=data_dir,
        out_dir=out_dir,
        model_dir=model_dir,
        trained=kind == "run",
        tables={
            "customers": customers,
            "scores": scores,
            "offers": offers.offers,
            "segments": profiles.summary,
            "segment_features": profiles.features,
            "segment_drivers": profiles.drivers,
            "profit_curve": offers.profit_curve,
        },
        summary=plain(offers.summary),
    )


def input_checksums(tables: StoreTables) -> dict[str, str]:
    """Input file name -> sha256, in table order."""
    return {source.file: source.sha256 for source in tables.quality.sources}


def data_fingerprint(tables: StoreTables) -> str:
    """One sha256 over the four input files' checksums, in table order."""
    return fingerprint(input_checksums(tables))


def write_run_record(out_dir: Path, settings: Settings, tables: StoreTables) -> Path:
    """``run.json``: settings, input checksums, library versions and seed of this run."""
    return write_run_file(out_dir, run_record(settings, input_checksums(tables)))
