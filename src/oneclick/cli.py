"""The ``oneclick`` command line: thin commands over the library; ``--help`` is the manual."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from oneclick.config import Settings, load_settings
from oneclick.errors import OneClickError

app = typer.Typer(
    help="Keep the regular customers of «В один клик» buying: check the store's data, "
    "predict who will buy less, and choose offers for them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML file with settings (see README).")]
SeedOption = Annotated[int | None, typer.Option("--seed", help="Random seed: same data and seed, same results.")]
InactiveOption = Annotated[
    str | None, typer.Option("--inactive", help="Customers with zero revenue in a month: exclude (default) or keep.")
]
OutlierOption = Annotated[
    str | None, typer.Option("--outliers", help="Absurd revenue values: cap (default), exclude or keep.")
]
BadRowsOption = Annotated[
    str | None,
    typer.Option("--bad-rows", help="Rows that fail checks: quarantine (default) or fail (refuse the data)."),
]


def _settings(config: Path | None, **overrides: object) -> Settings:
    import os

    return load_settings(config, environ=os.environ, **overrides)


def _fail(err: OneClickError) -> None:
    typer.echo(f"{type(err).__name__}: {err}", err=True)
    raise typer.Exit(code=1)


def _setup_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", stream=sys.stderr)


@app.command()
def validate(
    data_dir: Annotated[
        Path, typer.Argument(help="Folder with market_file, market_money, market_time, money (.csv or .parquet).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where quality.json and quarantine.csv go.")] = Path(
        "out/validate"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")] = False,
    config: ConfigOption = None,
    inactive: InactiveOption = None,
    outliers: OutlierOption = None,
    bad_rows: BadRowsOption = None,
) -> None:
    """Check the store's four tables and say what was fixed, quarantined and excluded.

    Expected format: the store's exports with Russian headers, ',' or ';' separated,
    decimal point or comma, UTF-8 or CP1251; or Parquet with the same column names.
    Rejected rows go to OUT/quarantine.csv with the reason.
    """
    from oneclick.pipeline import load_with

    _setup_logging()
    try:
        settings = _settings(config, inactive_policy=inactive, outlier_policy=outliers, bad_rows=bad_rows)
        tables = load_with(settings, data_dir)
    except OneClickError as err:
        _fail(err)
    paths = tables.quality.write(out)
    if as_json:
        typer.echo(
            json.dumps(
                tables.quality.as_dict() | {"quarantine_file": str(paths["quarantine"])}, ensure_ascii=False, indent=2
            )
        )
    else:
        typer.echo(tables.quality.describe())
        typer.echo(f"quarantine: {paths['quarantine']} ({len(tables.quality.quarantine)} rows)")


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the four tables into.")],
    customers: Annotated[int, typer.Option("--customers", min=1, help="Number of customers.")] = 2_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="csv (the store's export) or parquet.")] = "csv",
    quirks: Annotated[bool, typer.Option("--quirks/--no-quirks", help="Reproduce the real exports' defects.")] = True,
) -> None:
    """Write a synthetic data set with the store's schema (and, by default, its quirks)."""
    from oneclick.synth import write_synthetic_dataset

    if fmt not in ("csv", "parquet"):
        _fail(OneClickError(f"--format {fmt!r}: expected csv or parquet"))
    started = time.perf_counter()
    paths = write_synthetic_dataset(out, customers, seed=seed, fmt=fmt, quirks=quirks)  # type: ignore[arg-type]
    typer.echo(f"wrote {customers:,} customers in {time.perf_counter() - started:.1f} s:", err=True)
    for path in paths.values():
        typer.echo(str(path))


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
) -> None:
    """Run the main job: check the data, build the customer features (and what later stages add)."""
    from oneclick.pipeline import run_pipeline
    from oneclick.synth import write_synthetic_dataset

    _setup_logging()
    try:
        settings = _settings(config, seed=seed, inactive_policy=inactive, outlier_policy=outliers, bad_rows=bad_rows)
        if data_dir is None:
            data_dir = out / "synthetic_data"
            write_synthetic_dataset(data_dir, settings.synthetic_customers, seed=settings.seed)
            typer.echo(
                f"no data folder given: made {settings.synthetic_customers:,} synthetic customers in {data_dir}",
                err=True,
            )
        result = run_pipeline(data_dir, out, settings)
    except OneClickError as err:
        _fail(err)
    typer.echo(f"outputs in {result.out_dir.resolve()}:")
    for name, path in result.outputs.items():
        typer.echo(f"  {name}: {path}")


def main() -> None:  # pragma: no cover - console entry point
    app()
