"""The ``oneclick`` command line: thin commands over the library; ``--help`` is the manual."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from oneclick.cli_batch import Engine, run_out_of_core
from oneclick.cli_campaign import campaign_app
from oneclick.cli_catalogue import catalogue_app
from oneclick.cli_options import (
    DEFAULT_STORE,
    BadRowsOption,
    BatchSizeOption,
    BudgetOption,
    ConfigOption,
    CvRepeatsOption,
    EngineOption,
    FamiliesOption,
    InactiveOption,
    IterationsOption,
    LangOption,
    ModelOption,
    OutlierOption,
    PeriodOption,
    ReasonsOption,
    SchedulerOption,
    SeedOption,
    StoreOption,
    TimeBudgetOption,
    announce_model,
    check_lang,
    fail,
    model_or_champion,
    progress_bar,
    registered,
)
from oneclick.cli_periods import compare
from oneclick.cli_previous import NoPreviousOption, PreviousOption, announce_changes, previous_choice
from oneclick.cli_registry import models, promote, retrain
from oneclick.cli_serve import serve
from oneclick.cli_synth import synth
from oneclick.config import Settings, load_settings
from oneclick.errors import OneClickError

app = typer.Typer(
    help="Keep the regular customers of «В один клик» buying: check the store's data, "
    "predict who will buy less, and choose offers for them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(campaign_app, name="campaign")
app.add_typer(catalogue_app, name="catalogue")
app.command()(serve)


def _settings(
    config: Path | None, inactive: str | None, outliers: str | None, bad_rows: str | None, **overrides: object
) -> Settings:
    """The settings file and environment, then the data policies every command takes, then its own options."""
    import os

    policies = {"inactive_policy": inactive, "outlier_policy": outliers, "bad_rows": bad_rows}
    return load_settings(config, environ=os.environ, **policies, **overrides)


def _setup_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", stream=sys.stderr)


@app.command()
def validate(
    data_dir: Annotated[
        Path, typer.Argument(help="Folder with market_file, market_money, market_time, money (.csv or .parquet).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where quality.json, quarantine.csv and excluded.csv go.")] = Path(
        "out/validate"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")] = False,
    config: ConfigOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
) -> None:
    """Check the store's four tables and say what was fixed, quarantined and excluded.

    Expected format: the store's exports with Russian headers, separated by ',' ';' tab or '|',
    decimal point or comma, UTF-8 (with or without BOM), CP1251 or UTF-16, fields quoted or not;
    or Parquet with the same column names. Rejected rows go to OUT/quarantine.csv with the file,
    line, column and reason; customers left out go to OUT/excluded.csv with the reason. The
    batch engine (score/offers --engine local|dask) checks by the same rules and writes the same files.
    """
    from oneclick.pipeline import load_with

    _setup_logging()
    try:
        settings = _settings(config, inactive, outliers, bad_rows)
        tables = load_with(settings, data_dir)
    except OneClickError as err:
        fail(err)
    paths = tables.quality.write(out)
    if as_json:
        typer.echo(json.dumps(tables.quality.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(tables.quality.describe())
        typer.echo(f"quarantine: {paths['quarantine']} ({len(tables.quality.quarantine)} rows)")
        typer.echo(f"excluded: {paths['excluded']} ({len(tables.quality.excluded)} customers)")


app.command()(synth)


@app.command()
def run(
    data_dir: Annotated[
        Path | None, typer.Argument(help="The store's tables; without it, a synthetic data set is made first.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for every output of the run.")] = Path("out/run"),
    config: ConfigOption = None,
    seed: SeedOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
    budget: BudgetOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: ru (default), en, or both.")] = "ru",
    store: StoreOption = DEFAULT_STORE,
    period: PeriodOption = None,
    previous: PreviousOption = None,
    no_previous: NoPreviousOption = False,
) -> None:
    """Run the main job: check the data, build the customer features, train, evaluate and explain the
    model, score every customer, find the segments, choose offers and a campaign, write the report;
    register the run and its model in the store.

    The model becomes the champion only if it is the store's first; otherwise it is registered as
    a challenger, and only `oneclick promote` makes it the champion.
    """
    from oneclick.pipeline import run_pipeline
    from oneclick.synth import write_synthetic_dataset

    _setup_logging()
    try:
        settings = _settings(
            config,
            inactive,
            outliers,
            bad_rows,
            seed=seed,
            campaign_budget=budget,
        )
        languages = ("ru", "en") if lang == "both" else (lang,)
        for language in languages:
            check_lang(language)
        if data_dir is None:
            data_dir = out / "synthetic_data"
            write_synthetic_dataset(data_dir, settings.synthetic_customers, seed=settings.seed)
            typer.echo(
                f"no data folder given: made {settings.synthetic_customers:,} synthetic customers in {data_dir}",
                err=True,
            )
        with progress_bar() as progress:
            result = run_pipeline(
                data_dir,
                out,
                settings,
                progress=progress,
                languages=languages,  # type: ignore[arg-type]
                store=store,
                period=period,
                previous=previous_choice(previous, no_previous),
            )
    except OneClickError as err:
        fail(err)
    registered(result.run_id, store)
    announce_model(store, result.out_dir / "model")
    announce_changes(result.changes)
    typer.echo(f"outputs in {result.out_dir.resolve()}:")
    for name, path in result.outputs.items():
        typer.echo(f"  {name}: {path}")


@app.command()
def train(
    data_dir: Annotated[Path, typer.Argument(help="The store's tables (as for validate).")],
    out: Annotated[
        Path, typer.Option("--out", help="Model folder: model.skops, metrics.json, background.parquet.")
    ] = Path("out/model"),
    iterations: IterationsOption = None,
    time_budget: TimeBudgetOption = None,
    families: FamiliesOption = None,
    cv_repeats: CvRepeatsOption = None,
    config: ConfigOption = None,
    seed: SeedOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
    store: StoreOption = DEFAULT_STORE,
    period: PeriodOption = None,
) -> None:
    """Search, evaluate (published holdout + nested repeated CV) and save the model that predicts a decline.

    The saved model is the chosen procedure refit on all labelled customers; the holdout and
    nested-CV figures describe the procedure (metrics.json, "refit"). It is registered in the
    store: the champion if it is the store's first model, otherwise a challenger that only
    `oneclick promote` makes the champion.
    """
    from oneclick.features import build_features
    from oneclick.pipeline import load_with, train_and_save
    from oneclick.store.register import register

    _setup_logging()
    try:
        settings = _settings(
            config,
            inactive,
            outliers,
            bad_rows,
            seed=seed,
            search_iterations=iterations,
            time_budget_seconds=time_budget,
            model_families=families,
            cv_repeats=cv_repeats,
        )
        tables = load_with(settings, data_dir)
        X, y = build_features(tables)
        with progress_bar() as progress:
            trained, paths = train_and_save(
                X, y, tables, out, settings, progress=progress, data_dir=data_dir, period=period
            )
        run_id = register(
            store, "train", settings=settings, quality=tables.quality, data_dir=data_dir, model_dir=out, trained=True
        )
    except OneClickError as err:
        fail(err)
    registered(run_id, store)
    announce_model(store, out)
    metrics = trained.metrics
    typer.echo(
        f"best model: {metrics['best_model']}; holdout ROC-AUC {metrics['holdout']['roc_auc']:.4f}, "
        f"F1 {metrics['holdout']['f1']:.4f}, Brier {metrics['holdout']['brier']:.4f}; CV ROC-AUC "
        f"{metrics['cv']['roc_auc_mean']:.4f} ± {metrics['cv']['roc_auc_std']:.4f}"
    )
    for path in paths.values():
        typer.echo(str(path))


@app.command()
def score(
    data_dir: Annotated[Path, typer.Argument(help="The customers' tables (as for validate).")],
    model: ModelOption = None,
    out: Annotated[Path, typer.Option("--out", help="CSV file for the scores.")] = Path("out/scores.csv"),
    lang: Annotated[str, typer.Option("--lang", help="Language of the drivers: ru or en.")] = "ru",
    config: ConfigOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
    engine: EngineOption = "memory",
    scheduler: SchedulerOption = None,
    batch_size: BatchSizeOption = 200_000,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Score customers: decline_probability, is_high_risk and the top 3 drivers, in business words.

    Without --model, the store's champion scores. The model is refused if its file is not skops,
    fails its checksum, or was trained on other features than the data has. With --engine local
    or dask, OUT is a folder of partitioned Parquet (scores/), for inputs of any size.
    """
    from oneclick.features import build_features
    from oneclick.pipeline import load_with, score_saved, write_scores
    from oneclick.store.register import register

    _setup_logging()
    try:
        check_lang(lang)
        settings = _settings(config, inactive, outliers, bad_rows)
        batch = Engine(engine, scheduler, batch_size)
        with model_or_champion(model, store) as model_dir:
            if batch.is_out_of_core:
                return run_out_of_core(data_dir, model_dir, out, batch, lang, settings, store=store, with_offers=False)
            tables = load_with(settings, data_dir)
            X, _ = build_features(tables)
            scores = score_saved(X, model_dir, lang=lang)  # type: ignore[arg-type]
            path = write_scores(scores, out)
            run_id = register(
                store,
                "score",
                settings=settings,
                quality=tables.quality,
                data_dir=data_dir,
                out_dir=out.parent,
                model_dir=model_dir,
                tables={"scores": scores},
            )
    except OneClickError as err:
        fail(err)
    registered(run_id, store)
    typer.echo(f"scored {len(scores):,} customers, {int(scores['is_high_risk'].sum()):,} at high risk", err=True)
    typer.echo(str(path))


@app.command()
def offers(
    data_dir: Annotated[Path, typer.Argument(help="The customers' tables (as for validate).")],
    model: ModelOption = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for offers.csv, segments.csv and the rest.")] = Path(
        "out/offers"
    ),
    budget: BudgetOption = None,
    lang: LangOption = "ru",
    config: ConfigOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
    engine: EngineOption = "memory",
    scheduler: SchedulerOption = None,
    batch_size: BatchSizeOption = 200_000,
    reasons: ReasonsOption = True,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Segments, each customer's best offer with its reason, and the campaign that fits the budget.

    Writes offers.csv (one row per customer, also those without an offer worth its cost, with the
    reason), segments.csv (each segment against the rest), profit_curve.csv and offers_summary.json.
    Offer costs and uplifts: the store's current catalogue (OUT/catalogue.yaml), else the shipped one.
    Without --model, the store's champion scores. With --engine local or dask: partitioned
    Parquet (scores/, offers/, campaign/) for any size.
    """
    from oneclick.features import build_customer_table
    from oneclick.pipeline import choose_offers_for, load_with, register_offers_run, score_saved, store_catalogue

    _setup_logging()
    try:
        check_lang(lang)
        settings = _settings(config, inactive, outliers, bad_rows, campaign_budget=budget)
        batch = Engine(engine, scheduler, batch_size)
        with model_or_champion(model, store) as model_dir:
            if batch.is_out_of_core:
                return run_out_of_core(
                    data_dir, model_dir, out, batch, lang, settings, store=store, with_offers=True, reasons=reasons
                )
            tables = load_with(settings, data_dir)
            customers = build_customer_table(tables)
            scores = score_saved(customers[_feature_names()], model_dir, lang=lang)  # type: ignore[arg-type]
            catalogue = store_catalogue(store, out)
            result = choose_offers_for(customers, scores, model_dir, settings, lang, catalogue=catalogue)  # type: ignore[arg-type]
            paths = result.write(out)
            run_id = register_offers_run(
                store, "offers", settings, tables, customers, scores, result, data_dir, out, model_dir
            )
    except OneClickError as err:
        fail(err)
    registered(run_id, store)
    campaign = result.campaign
    typer.echo(
        f"campaign: {campaign.n_customers:,} customers, cost {campaign.spent:,.2f}, "
        f"expected saved profit {campaign.expected_saved_profit:,.2f}",
        err=True,
    )
    for path in paths.values():
        typer.echo(str(path))


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="Output folder of `oneclick run`.")],
    lang: LangOption = "ru",
    out: Annotated[Path | None, typer.Option("--out", help="HTML file; default RUN_DIR/report.html.")] = None,
) -> None:
    """Write the self-contained HTML report of a run (opens offline; Russian by default)."""
    from oneclick.report import write_report

    try:
        check_lang(lang)
        path = write_report(run_dir, out, lang=lang)  # type: ignore[arg-type]
    except OneClickError as err:
        fail(err)
    typer.echo(str(path))


app.command()(compare)
app.command()(retrain)
app.command()(promote)
app.command()(models)


def _feature_names() -> list[str]:
    from oneclick.features.groups import FEATURE_NAMES

    return FEATURE_NAMES


def main() -> None:  # pragma: no cover - console entry point
    app()
