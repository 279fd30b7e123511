"""CRM exports: the control group is never in treated.csv; treated rows carry their offer's message."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from oneclick.campaigns.crm import write_exports
from oneclick.offers import load_catalogue


def test_control_customers_are_never_in_the_treated_file(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    offer = catalogue.offers[0]
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "offer_id": offer.id,
            "stratum": f"s|{offer.id}",
            "arm": ["treatment", "control", "treatment"],
        }
    )
    exclusions = pd.DataFrame({"customer_id": [9], "offer_id": [offer.id], "rule": ["consent"], "detail": ["x"]})
    paths = write_exports(tmp_path, customers, exclusions, catalogue, lang="en", no_action="no action")
    treated = pd.read_csv(paths["treated"])
    control = pd.read_csv(paths["control"])
    assert treated["customer_id"].tolist() == [1, 3]
    assert set(treated["message"]) == {offer.message_text("en")}
    assert control.to_dict("records") == [{"customer_id": 2, "stratum": f"s|{offer.id}", "action": "no action"}]
    assert pd.read_csv(paths["exclusions"])["rule"].tolist() == ["consent"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["control.csv", "exclusions.csv", "treated.csv"]
