"""``oneclick run``'s last period: the options that choose it, and what the run says it found."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from oneclick.periods import Changes, PreviousPeriod

PreviousOption = Annotated[
    str | None,
    typer.Option(
        "--previous",
        help="The last period to compare this run with (changes.json, kept in the store): a data "
        "folder or a run id in the store; default: the store's newest `run` of another export.",
    ),
]
NoPreviousOption = Annotated[bool, typer.Option("--no-previous", help="Do not compare this run with a last period.")]


def previous_choice(source: str | None, no_previous: bool) -> PreviousPeriod:
    """The last period the options chose (:class:`ConfigError` when both are given)."""
    from oneclick.periods import PreviousPeriod

    return PreviousPeriod.of(source, no_previous)


def announce_changes(changes: Changes | None) -> None:
    """Say on stderr what the run found against its last period, and where the comparison is kept."""
    if changes is None:
        typer.echo("no last period to compare with (--previous DIR_OR_RUN_ID gives one)", err=True)
        return
    typer.echo(
        f"compared with the last period {changes.previous}: verdict {changes.verdict}; kept as "
        f"{changes.comparison_id} ({changes.path.name})",
        err=True,
    )
