"""The campaign's CRM exports: the treated customers with their message, the control group, the exclusions.

Each file is written beside its final name and moved into place, so a CRM that picks the folder
up never reads half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from oneclick.exports import write_csv
from oneclick.language import Lang
from oneclick.layout import CAMPAIGN_CONTROL_FILE, CAMPAIGN_EXCLUSIONS_FILE, CAMPAIGN_TREATED_FILE
from oneclick.offers import OfferCatalogue


def write_exports(
    out_dir: Path,
    customers: pd.DataFrame,
    exclusions: pd.DataFrame,
    catalogue: OfferCatalogue,
    *,
    lang: Lang,
    no_action: str,
) -> dict[str, Path]:
    """treated.csv, control.csv and exclusions.csv from a plan's ``customers`` (customer_id, offer_id,
    stratum, arm) and ``exclusions``; ``no_action``: the control rows' action, in the reader's words."""
    treated = customers[customers["arm"] == "treatment"].sort_values("customer_id")
    offers = {o.id: o for o in catalogue.offers}
    treated_rows = pd.DataFrame(
        {
            "customer_id": treated["customer_id"].to_numpy(),
            "offer_id": treated["offer_id"].to_numpy(),
            "offer_title": [offers[o].label(lang) for o in treated["offer_id"]],
            "channel": [offers[o].channel for o in treated["offer_id"]],
            "message": [offers[o].message_text(lang) for o in treated["offer_id"]],
        }
    )
    control = customers[customers["arm"] == "control"].sort_values("customer_id")
    control_rows = pd.DataFrame(
        {
            "customer_id": control["customer_id"].to_numpy(),
            "stratum": control["stratum"].to_numpy(),
            "action": no_action,
        }
    )
    frames = {
        "treated": (treated_rows, CAMPAIGN_TREATED_FILE),
        "control": (control_rows, CAMPAIGN_CONTROL_FILE),
        "exclusions": (exclusions[["customer_id", "offer_id", "rule", "detail"]], CAMPAIGN_EXCLUSIONS_FILE),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (frame, file) in frames.items():
        incoming = out_dir / f".{file}.incoming"
        write_csv(frame, incoming, float_format="%.10g")
        os.replace(incoming, out_dir / file)
        paths[name] = out_dir / file
    return paths
