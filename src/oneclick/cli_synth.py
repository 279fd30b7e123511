"""``oneclick synth``: a synthetic export, or the next period of one (with shifts of known size)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from oneclick.cli_options import DEFAULT_STORE, StoreOption, fail
from oneclick.errors import OneClickError


def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the four tables into.")],
    customers: Annotated[int, typer.Option("--customers", min=1, help="Number of customers.")] = 2_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="csv (the store's export) or parquet.")] = "csv",
    quirks: Annotated[bool, typer.Option("--quirks/--no-quirks", help="Reproduce the real exports' defects.")] = True,
    next_period: Annotated[
        bool,
        typer.Option(
            "--next-period",
            help="Write the period after --from: the same customers a period later (--customers unused).",
        ),
    ] = False,
    from_dir: Annotated[
        Path | None, typer.Option("--from", help="With --next-period: the last period's folder.")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model", help="With --next-period: draw the label from this model's probability (a model folder)."
        ),
    ] = None,
    drift: Annotated[
        str | None,
        typer.Option(
            "--drift",
            help="With --next-period: comma-separated shifts of known size: FEATURE:±Ksd (pages_per_visit:-0.5sd), "
            "COLUMN:VALUE±SHARE (favourite_category:kids_goods+0.2, service_type:premium+0.1, allows_messages:no+0.1), "
            "base_rate:±SHARE (base_rate:+0.1), concept:FEATURE[*FACTOR] (concept:promo_purchase_share: its effect on "
            "the label reversed; *0 removes it).",
        ),
    ] = None,
    campaign: Annotated[
        str | None,
        typer.Option(
            "--campaign", help="With --next-period and --true-uplift: the campaign (id or prefix) in --store."
        ),
    ] = None,
    true_uplift: Annotated[
        str | None,
        typer.Option(
            "--true-uplift",
            help="With --campaign: OFFER=U[@SEGMENT],... (discount_10=0.2,free_delivery=0@kids_goods_buyers): the "
            "treated customers' decline probability times (1 - U), U in [-1, 1); offers not named: 0.",
        ),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write a synthetic data set with the store's schema (and, by default, its quirks).

    With --next-period --from DIR: the next export of the customers in DIR (any export validate reads): 5 %
    leave, 5 % new ones join, the months move on (this month becomes last month), and the label is drawn
    from a known probability of the last period's features (the outcome of its prediction): the generator's,
    or --model's; --drift shifts it. OUT/drift_truth.json records the truth (what drifted, by how much).
    """
    from oneclick.synth import write_next_period, write_synthetic_dataset

    if fmt not in ("csv", "parquet"):
        fail(OneClickError(f"--format {fmt!r}: expected csv or parquet"))
    if next_period != (from_dir is not None):
        fail(OneClickError("--next-period and --from go together: --next-period --from DIR (the last period)"))
    if not next_period and (model is not None or drift is not None):
        fail(OneClickError("--model and --drift belong to --next-period --from DIR"))
    if (campaign is None) != (true_uplift is None) or (campaign is not None and not next_period):
        fail(OneClickError("--campaign and --true-uplift go together, with --next-period --from DIR"))
    started = time.perf_counter()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", stream=sys.stderr)
    try:
        uplift = None if campaign is None else _campaign_uplift(store, campaign, str(true_uplift))
        if from_dir is not None:
            written = write_next_period(
                from_dir,
                out,
                model_dir=model,
                drift=drift,
                seed=seed,
                fmt=fmt,  # type: ignore[arg-type]
                quirks=quirks,
                treated_uplift=None if uplift is None else uplift[1],
            )
            if uplift is not None:
                written.paths["campaign_truth"] = _write_campaign_truth(out, uplift, written, seed)
            paths, n = {**written.paths, "truth": written.truth_path}, written.truth["customers"]["next_period"]
        else:
            paths, n = write_synthetic_dataset(out, customers, seed=seed, fmt=fmt, quirks=quirks), customers  # type: ignore[arg-type]
    except OneClickError as err:
        fail(err)
    typer.echo(f"wrote {n:,} customers in {time.perf_counter() - started:.1f} s:", err=True)
    for path in paths.values():
        typer.echo(str(path))


def _campaign_uplift(store: Path, campaign: str, spec: str) -> tuple[str, object, object]:
    from oneclick.store import load_campaign
    from oneclick.synth import parse_true_uplift, treated_uplift

    entries = parse_true_uplift(spec)
    stored = load_campaign(store, campaign)
    return stored.campaign_id, treated_uplift(stored.customers, entries), entries  # type: ignore[return-value]


def _write_campaign_truth(out: Path, uplift: tuple, written: object, seed: int) -> Path:
    from oneclick.synth import write_campaign_truth

    campaign_id, per_customer, entries = uplift
    path, _ = write_campaign_truth(out, campaign_id, entries, per_customer, written.customer_ids, seed)  # type: ignore[attr-defined]
    return path
