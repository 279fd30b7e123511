"""``oneclick compare``: two periods side by side, the model's decay, and the verdict."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oneclick.cli_options import (
    DEFAULT_STORE,
    BadRowsOption,
    ConfigOption,
    InactiveOption,
    OutlierOption,
    StoreOption,
    fail,
    progress_bar,
)
from oneclick.errors import OneClickError

if TYPE_CHECKING:
    from oneclick.model import LoadedModel


def compare(
    old: Annotated[
        str, typer.Argument(help="The last period: a data folder (the four tables) or a run id in the store.")
    ],
    new: Annotated[str, typer.Argument(help="The new period: a data folder or a run id in the store.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole result as one JSON object.")] = False,
    store: StoreOption = DEFAULT_STORE,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (`oneclick train`); default: the store's champion.")
    ] = None,
    labels: Annotated[
        bool, typer.Option("--labels/--no-labels", help="Use NEW's labels; without them the decay is estimated.")
    ] = True,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the bootstrap intervals.")] = 0,
    memory_limit: Annotated[str, typer.Option("--memory-limit", help="DuckDB's memory limit.")] = "1GB",
    config: ConfigOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
) -> None:
    """Compare the last period with the new one: drift, label shift, customers, model decay, and a verdict.

    Per feature, the test Evidently's defaults choose (KS / chi² / z up to 1,000 reference rows,
    normed Wasserstein / Jensen–Shannon >= 0.1 above; the data set drifted when >= 50 % of its
    features did), p-values adjusted by Benjamini–Hochberg (Evidently adjusts none). Also the
    declined share, the model's predictions, who stayed, left and joined, and their moves between
    risk x profit cells and segments. Decay: OLD's predictions judged by NEW's labels of the same
    customers, against what the model promised at training, with bootstrap intervals; without
    labels, an estimate from the probabilities (CBPE). The verdict keep / watch / retrain comes
    with the rule that gave it. Any size: DuckDB reads the tables in bounded memory. The result is
    kept in the store (--store).
    """
    from oneclick.config import load_settings
    from oneclick.ingest import Policy
    from oneclick.periods import compare_periods
    from oneclick.store import register_period_comparison

    try:
        settings = load_settings(
            config, environ=os.environ, inactive_policy=inactive, outlier_policy=outliers, bad_rows=bad_rows
        )
        loaded, model_id, source = _model(model, store)
        with progress_bar() as progress:
            result = compare_periods(
                old,
                new,
                model=loaded,
                model_id=model_id,
                model_source=source,
                store=store,
                use_labels=labels,
                seed=seed,
                policy=Policy.of(settings),
                memory_limit=memory_limit,
                progress=progress,
            )
        summary = result.as_dict()
        comparison_id = register_period_comparison(store, summary)
    except OneClickError as err:
        fail(err)
    typer.echo(f"comparison kept as {comparison_id} in {store}", err=True)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_summary(summary)


def _model(model_dir: Path | None, store: Path) -> tuple[LoadedModel, str, str]:
    from oneclick.errors import StoreError
    from oneclick.model import load_model
    from oneclick.store import load_champion, model_id_of

    if model_dir is not None:
        return load_model(model_dir), model_id_of(model_dir), f"folder {model_dir}"
    try:
        model_id, loaded = load_champion(store)
    except StoreError as err:
        raise StoreError(f"{err}\nOr pass the model to judge with --model MODELDIR.") from err
    return loaded, model_id, f"champion of {store}"


def _print_summary(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.width = max(console.width, 120)  # the feature table's names, even in a pipe
    old, new, customers = result["old"], result["new"], result["customers"]
    console.print(
        f"[bold]OLD[/] {old['source']} ({old['n_customers']:,} customers) -> [bold]NEW[/] {new['source']} "
        f"({new['n_customers']:,}); in both {customers['n_both']:,}, left {customers['left']['n']:,}, "
        f"joined {customers['joined']['n']:,}"
    )
    features = Table("feature", "test", "statistic", "threshold", "p (adjusted)", "PSI", "drift", title="Data drift")
    for f in result["features"]:
        p = "" if f["p_value"] is None else f"{f['p_value']:.3g} ({f['p_value_adjusted']:.3g})"
        statistic = "inf" if f["statistic"] is None else f"{f['statistic']:.4f}"
        features.add_row(
            f["feature"],
            f["test"],
            statistic,
            f"{f['threshold']:g}",
            p,
            f"{f['psi']:.3f}",
            "[red]yes[/]" if f["drift"] else "no",
        )
    console.print(features)
    dataset = result["dataset_drift"]
    console.print(
        f"dataset drift: {'[red]yes[/]' if dataset['dataset_drift'] else 'no'} "
        f"({dataset['n_drifted']} of {dataset['n_features']} features; from {dataset['threshold_share']:.0%})"
    )
    labels = result["label_shift"]
    if labels.get("test"):
        console.print(
            f"declined share: {labels['declined_share_old']:.3f} -> {labels['declined_share_new']:.3f} "
            f"(difference {labels['difference']:+.3f}, 95 % CI {labels['difference_ci'][0]:+.3f} to "
            f"{labels['difference_ci'][1]:+.3f}, p = {labels['p_value']:.3g})"
        )
    prediction = result["prediction_drift"]
    console.print(
        f"predictions: {prediction['test']} {prediction['statistic']:.4f} (threshold {prediction['threshold']:g}): "
        f"{'drifted' if prediction['drift'] else 'no drift'}"
    )
    cells = result["migration"]["risk_profit_cell"]
    if cells["share_in_same"] is not None:
        console.print(
            f"customers in the same risk x profit cell: {cells['share_in_same']:.1%} of {cells['n_customers']:,}"
        )
    console.print(_decay_table(result["decay"]))
    console.print(f"[bold]verdict: {result['verdict']}[/]")
    for reason in result["verdict_reasons"]:
        if reason["holds"]:
            console.print(f"  - {reason['rule']} ({reason['leads_to']}): {reason['says']}")
    console.print(f"rule: {result['verdict_rule']}", style="dim")


def _decay_table(decay: dict[str, Any]) -> Any:
    from rich.table import Table

    estimated = decay["estimated"]
    figures = decay["estimate" if estimated else "realised"]
    title = f"Model decay on {decay['n_customers']:,} customers" + (
        " (estimated: NEW has no labels)" if estimated else ""
    )
    table = Table("figure", "promised (holdout)", "estimated" if estimated else "realised", "95 % CI", title=title)
    for name in ("roc_auc", "brier", "precision", "recall"):
        value, (low, high) = figures[name]["value"], figures[name]["ci"]
        table.add_row(name, f"{decay['promised'][name]:.4f}", _f(value), f"{_f(low)} – {_f(high)}")
    return table


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"
