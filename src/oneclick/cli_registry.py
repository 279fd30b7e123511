"""``oneclick retrain``, ``promote`` and ``models``: the champion, its challengers and their history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from oneclick.cli_options import (
    DEFAULT_STORE,
    BadRowsOption,
    ConfigOption,
    CvRepeatsOption,
    FamiliesOption,
    InactiveOption,
    IterationsOption,
    OutlierOption,
    PeriodOption,
    SeedOption,
    StoreOption,
    TimeBudgetOption,
    fail,
    progress_bar,
    registered,
)
from oneclick.errors import OneClickError

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def retrain(
    new_dir: Annotated[Path, typer.Argument(help="The newest labelled export (as for validate).")],
    out: Annotated[Path, typer.Option("--out", help="The challenger's model folder (with comparison.json).")] = Path(
        "out/challenger"
    ),
    store: StoreOption = DEFAULT_STORE,
    as_json: JsonOption = False,
    period: PeriodOption = None,
    iterations: IterationsOption = None,
    time_budget: TimeBudgetOption = None,
    families: FamiliesOption = None,
    cv_repeats: CvRepeatsOption = None,
    config: ConfigOption = None,
    seed: SeedOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
) -> None:
    """Train a challenger on the newest labelled data and compare it with the champion; promote nothing.

    Both score the same held-out customers of NEW (its published-protocol holdout: 25 %,
    stratified, random_state=42), which the challenger's procedure did not train on: the
    ROC-AUC and Brier differences (challenger minus champion) with a paired, seeded bootstrap
    95 % interval, and a recommendation by the rule in src/oneclick/model/compare.py. The
    challenger (refit on all of NEW) and the comparison are registered; `oneclick promote`
    makes it the champion.
    """
    from oneclick.cli import _settings, _setup_logging
    from oneclick.retrain import retrain as retrain_model

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
        with progress_bar() as progress:
            result = retrain_model(new_dir, out, settings, store, period=period, progress=progress)
    except OneClickError as err:
        fail(err)
    registered(result.run_id, store)
    comparison = result.comparison
    if comparison["champion_saw_these_customers"]:
        typer.echo("warning: the champion was trained on these same files: the comparison favours it", err=True)
    if as_json:
        typer.echo(json.dumps(comparison, ensure_ascii=False, indent=2))
    else:
        typer.echo(_comparison_text(comparison))
    if result.challenger_id == result.champion_id:  # model files are reproducible: same data and settings, same id
        typer.echo(
            f"the challenger is the champion {result.champion_id} itself (the same data, settings and seed give "
            "the same model); nothing to promote",
            err=True,
        )
        return
    typer.echo(
        f"challenger {result.challenger_id} is registered, not promoted; the champion stays {result.champion_id}. "
        f"`oneclick promote {result.challenger_id} --store {store}` makes it the champion.",
        err=True,
    )


def promote(
    model_id: Annotated[
        str | None, typer.Argument(help="The model to make the champion (its id or a start of it).")
    ] = None,
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Go back to the champion before the current one.")
    ] = False,
    list_models: Annotated[bool, typer.Option("--list", help="List the models (as `oneclick models`).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, kept in the promotion history.")] = None,
    store: StoreOption = DEFAULT_STORE,
    as_json: JsonOption = False,
) -> None:
    """Make a model the champion (what score, offers and the service use), with its history; or roll back.

    Every promotion and rollback is a row of the store's promotion history, never removed; a
    running service picks the new champion up at its next refresh.
    """
    from oneclick.store import registry

    try:
        if sum((model_id is not None, rollback, list_models)) != 1:
            raise OneClickError("give one of MODEL_ID, --rollback or --list (see `oneclick promote --help`)")
        if list_models:
            return _print_models(registry.list_models(store), as_json)
        done = (
            registry.rollback(store, reason=reason)
            if rollback
            else registry.promote(store, str(model_id), reason=reason)
        )
    except OneClickError as err:
        fail(err)
    if as_json:
        typer.echo(json.dumps(done.as_dict(), ensure_ascii=False, indent=2))
    else:
        verb = "rolled back to" if done.action == "rollback" else "promoted"
        typer.echo(f"{verb} {done.model_id}: the champion now (was {done.previous_model_id}); reason: {done.reason}")


def models(store: StoreOption = DEFAULT_STORE, as_json: JsonOption = False) -> None:
    """List the store's models: figures, data fingerprint, training period, the champion, promotions, comparisons."""
    from oneclick.store.registry import list_models

    try:
        listing = list_models(store)
    except OneClickError as err:
        fail(err)
    _print_models(listing, as_json)


def _print_models(listing: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{'':2}{'model':16}  {'standing':15}  {'period':12}  {'customers':>9}  {'holdout':>7}  "
        f"{'CV':>6}  {'fingerprint':12}  model family"
    )
    for row in listing["models"]:
        typer.echo(
            f"{'*' if row['is_champion'] else ' ':2}{row['model_id']:16}  {row['standing']:15}  "
            f"{row['training_period'] or '?':12}  {_text(row['n_customers']):>9}  {_auc(row['holdout_roc_auc']):>7}  "
            f"{_auc(row['cv_roc_auc_mean']):>6}  {(row['data_fingerprint'] or '?')[:12]:12}  {row['best_model']}"
        )
    typer.echo("holdout, CV: ROC-AUC of the procedure (the saved model is refit on all its customers); * champion")
    typer.echo("\npromotions, oldest first:")
    for row in listing["promotions"] or [{"promoted_at": "", "action": "none yet", "model_id": "", "reason": ""}]:
        typer.echo(f"  {row['promoted_at'][:19]:19}  {row['action']:8}  {row['model_id']:16}  {row['reason']}")
    if listing["comparisons"]:
        typer.echo("\ncomparisons (oneclick retrain), oldest first:")
        for row in listing["comparisons"]:
            typer.echo(
                f"  {row['created_at'][:19]:19}  {row['challenger_id']} against {row['champion_id']}: {row['reason']}"
            )


def _comparison_text(comparison: dict[str, Any]) -> str:
    champion, challenger, difference = comparison["champion"], comparison["challenger"], comparison["difference"]
    level = f"{comparison['bootstrap']['level']:.0%}"
    lines = [
        f"challenger {comparison['challenger_id']} (trained on {comparison['training_period']}) against champion "
        f"{comparison['champion_id']} (trained on {champion.get('training_period') or '?'}), on the same "
        f"{comparison['n_customers']:,} held-out customers of {comparison['data_dir']} "
        f"({comparison['n_declined']:,} declined):",
        f"  {'':10}{'champion':>10}{'challenger':>12}{'difference':>12}  {level} CI (paired bootstrap, "
        f"{comparison['bootstrap']['n_resamples']:,} resamples)",
    ]
    for name, key, digits in (("ROC-AUC", "roc_auc", 3), ("Brier", "brier", 4)):
        gap = difference[key]
        lines.append(
            f"  {name:10}{champion[key]:>10.{digits}f}{challenger[key]:>12.{digits}f}{gap['estimate']:>+12.{digits}f}"
            f"  [{gap['ci_low']:+.{digits}f}, {gap['ci_high']:+.{digits}f}]"
        )
    recommendation = comparison["recommendation"]
    lines += [f"recommendation: {recommendation['reason']}", f"rule: {recommendation['rule']}"]
    return "\n".join(lines)


def _auc(value: float | None) -> str:
    return "?" if value is None else f"{value:.3f}"


def _text(value: object) -> str:
    return "?" if value is None else f"{value:,}"
