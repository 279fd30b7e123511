"""What several `oneclick` commands share: their options, with the help text `--help` prints, and the progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from oneclick.errors import OneClickError

ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML file with settings (see README).")]
SeedOption = Annotated[int | None, typer.Option("--seed", help="Random seed: same data and seed, same results.")]
InactiveOption = Annotated[
    str | None, typer.Option("--inactive", help="Customers with zero revenue in a month: exclude (default) or keep.")
]
OutlierOption = Annotated[
    str | None, typer.Option("--outliers", help="Absurd revenue values: cap (default), exclude or keep.")
]
BudgetOption = Annotated[
    float | None,
    typer.Option("--budget", min=0, help="Campaign budget in profit units (as money.csv); 0 or none = no limit."),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of texts: ru (default) or en.")]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="memory (pandas, the default for the store's size), local (DuckDB out of core, batches of bounded "
        "memory, partitioned Parquet in OUT) or dask (the same job on a dask.distributed cluster).",
    ),
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="With --engine dask: the scheduler's address; none = 2 local workers.")
]
StoreOption = Annotated[
    Path,
    typer.Option(
        "--store",
        envvar="ONECLICK_STORE",
        help="The store of runs (a DuckDB file) this run is registered in, with its tables and model.",
    ),
]
DEFAULT_STORE = Path("out/oneclick.duckdb")
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Model folder written by `oneclick train`; default: the store's champion (see `oneclick models`).",
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="What the data's period is called (e.g. 2026-11), recorded with the model; default: the folder's name.",
    ),
]
BatchSizeOption = Annotated[int, typer.Option("--batch-size", min=1, help="Customers per batch (local and dask).")]
# The model search's options, shared by `train` and `retrain`.
IterationsOption = Annotated[
    int | None, typer.Option("--iterations", help="Search trials per family (boosting: half).")
]
TimeBudgetOption = Annotated[
    float | None,
    typer.Option("--time-budget", help="Seconds for each search, 0 = none; a limit makes results machine-dependent."),
]
FamiliesOption = Annotated[
    str | None, typer.Option("--families", help="Comma-separated model families: logreg,knn,tree,svc,hgb,lgbm.")
]
CvRepeatsOption = Annotated[
    int | None, typer.Option("--cv-repeats", help="Repeats of the nested 5-fold CV; 0 skips it.")
]
BadRowsOption = Annotated[
    str | None,
    typer.Option("--bad-rows", help="Rows that fail checks: quarantine (default) or fail (refuse the data)."),
]
ReasonsOption = Annotated[
    bool,
    typer.Option(
        "--reasons/--no-reasons",
        help="local and dask engines: write each customer's drivers and offer reason in words (about a fifth "
        "more time at millions; without them the drivers stay as feature names and numbers).",
    ),
]


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr; yields the ``progress(what, done, total)`` callback the library calls."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)  # type: ignore[arg-type]

        yield update


def fail(err: OneClickError) -> NoReturn:
    """A library error at the edge: its message on stderr, exit code 1 (a bug keeps its traceback)."""
    typer.echo(f"{type(err).__name__}: {err}", err=True)
    raise typer.Exit(code=1)


def registered(run_id: str | None, store: Path) -> None:
    """Say where a run was registered (on stderr: stdout is for the results)."""
    typer.echo(f"registered as {run_id} in {store}", err=True)


@contextmanager
def model_or_champion(model: Path | None, store: Path) -> Iterator[Path]:
    """The model folder given, or the store's champion written to a temporary one (said on stderr)."""
    from oneclick.store.models import champion_folder

    if model is not None:
        yield model
        return
    with champion_folder(store) as (model_id, folder):
        typer.echo(f"model: the champion of {store}, {model_id} (--model MODELDIR to use another)", err=True)
        yield folder


def announce_model(store: Path, model_dir: Path) -> None:
    """Say on stderr whether the model a command trained is the champion or a challenger, and what to do next."""
    from oneclick.store.models import model_id_of
    from oneclick.store.registry import model_standing

    model_id = model_id_of(model_dir)
    champion, first = model_standing(store, model_id)
    if champion == model_id:
        why = " (the store's first model)" if first else ""
        typer.echo(f"model {model_id} is the champion{why}: the service and score/offers use it", err=True)
        return
    typer.echo(
        f"model {model_id} is registered as a challenger, not promoted; the champion stays {champion}. "
        f"`oneclick retrain NEW` compares a challenger with it on the newest period; "
        f"`oneclick promote {model_id}` makes this one the champion.",
        err=True,
    )


def check_lang(lang: str) -> None:
    """The languages of every text oneclick writes: ru or en (:class:`OneClickError` otherwise)."""
    if lang not in ("ru", "en"):
        raise OneClickError(f"--lang {lang!r}: expected ru or en")
