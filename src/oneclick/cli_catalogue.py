"""``oneclick catalogue ...``: the offer catalogue's versions, and a new one from a campaign's evidence."""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer

from oneclick.cli_options import DEFAULT_STORE, ConfigOption, StoreOption, fail
from oneclick.errors import OneClickError, StoreError

catalogue_app = typer.Typer(help="The offer catalogue's versions in the store.", no_args_is_help=True)


@catalogue_app.command()
def update(
    campaign: Annotated[str, typer.Argument(help="The evaluated campaign (its id or first 4+ characters).")],
    store: StoreOption = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the new version and its changes as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Write a new catalogue version with the uplifts the campaign measured, shrunk toward the prior.

    new = (prior / prior_sd² + measured / se²) / (1 / prior_sd² + 1 / se²), se from the 95 % CI;
    the measured figures lose their "assumption" mark; the old version is kept. The next plan uses
    the newest version.
    """
    from oneclick.campaigns import updated_catalogue
    from oneclick.config import load_settings
    from oneclick.offers import catalogue_from_mapping
    from oneclick.segments.rules import CELL_NAMES, load_segment_scheme
    from oneclick.store import catalogue_version, latest_evaluation, load_campaign, register_catalogue_version, writing

    try:
        settings = load_settings(config, environ=os.environ)
        with writing(store) as connection:
            stored = load_campaign(connection, campaign)
            evaluation = latest_evaluation(connection, stored.campaign_id)
            if evaluation is None:
                raise StoreError(
                    f"campaign {stored.campaign_id} has no evaluation yet: run `oneclick campaign evaluate "
                    f"{stored.campaign_id} NEXT_EXPORT` first"
                )
            parent = catalogue_version(connection, stored.record.catalogue_version)
            names = [*load_segment_scheme().names, *CELL_NAMES]
            mapping, changes = updated_catalogue(
                parent.catalogue, evaluation, prior_sd=settings.catalogue_prior_sd, segment_names=names
            )
            catalogue_from_mapping(mapping, "the updated catalogue")  # still a valid catalogue
            method = {"shrinkage": "normal-normal", "prior_sd": settings.catalogue_prior_sd}
            version = register_catalogue_version(
                connection,
                mapping,
                parent_version=parent.version,
                source_campaign_id=stored.campaign_id,
                method=method,
            )
    except OneClickError as err:
        fail(err)
    result = {
        "version": version,
        "parent_version": parent.version,
        "campaign_id": stored.campaign_id,
        "changes": changes,
    }
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False))
        return
    typer.echo(f"catalogue version {version} (from version {parent.version}, campaign {stored.campaign_id}):")
    for change in changes:
        if "skipped" in change:
            typer.echo(f"  {change['offer']} / {change['segment']}: skipped ({change['skipped']})")
        else:
            typer.echo(
                f"  {change['offer']} / {change['segment']}: {change['prior_uplift']:.3f} -> {change['uplift']:.3f} "
                f"(measured {change['measured_uplift']:.3f} [{change['ci_low']:.3f}; {change['ci_high']:.3f}])"
            )


@catalogue_app.command()
def versions(
    store: StoreOption = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the versions as JSON.")] = False,
) -> None:
    """Every catalogue version, oldest first: where it came from and which uplifts are measured."""
    from oneclick.store import list_catalogue_versions

    try:
        found = list_catalogue_versions(store)
    except OneClickError as err:
        fail(err)
    rows = [
        {
            "version": v.version,
            "source": v.source,
            "parent_version": v.parent_version,
            "source_campaign_id": v.source_campaign_id,
            "measured": {o["id"]: sorted(o.get("uplift_evidence") or {}) for o in v.catalogue["offers"]},
        }
        for v in found
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        measured = {k: v for k, v in row["measured"].items() if v}
        typer.echo(f"version {row['version']} ({row['source']}): measured {measured or 'nothing'}")
