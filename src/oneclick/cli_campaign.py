"""``oneclick campaign ...``: plan a campaign with control groups, read its outcome from the next export."""

from __future__ import annotations

import typer

from oneclick.cli_campaign_evaluate import evaluate

campaign_app = typer.Typer(
    help="Campaigns with random control groups: their outcome read from the next export, the uplift measured.",
    no_args_is_help=True,
)
campaign_app.command()(evaluate)
