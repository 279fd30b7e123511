"""Contact rules of a campaign: which (customer, offer) pairs may be planned at all.

The rules act on the candidate pairs before the budgeted optimisation (the removed pairs become
non-candidates), so the exact MILP respects them and stays exact. Every customer a rule removes
a worthwhile candidate of is recorded with the rule's name and a detail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from oneclick.offers import OfferCatalogue, OfferValues

CONSENT = "consent"
CONTACT_CAP = "contact_cap"
ONE_OFFER_PER_CUSTOMER = "one_offer_per_customer"
COOLDOWN = "cooldown"
RULE_NAMES = (CONSENT, CONTACT_CAP, ONE_OFFER_PER_CUSTOMER, COOLDOWN)
EXCLUSION_COLUMNS = ["customer_id", "offer_id", "rule", "detail"]


@dataclass(frozen=True)
class ContactRules:
    """The rules' settings: the monthly contact cap and the cool-down in months (consent is always on)."""

    contact_cap: int
    cooldown_months: int

    def as_dict(self) -> dict[str, Any]:
        return {
            CONSENT: {"column": "allows_messages", "removes": "offers whose channel is 'message'"},
            CONTACT_CAP: {"column": "marketing_contacts_current_month", "cap": self.contact_cap},
            ONE_OFFER_PER_CUSTOMER: {"enforced_by": "the optimisation: at most one offer per customer"},
            COOLDOWN: {"months": self.cooldown_months, "source": "treatment arms of the store's campaigns"},
        }


@dataclass(frozen=True)
class RuledValues:
    """The offer values with the removed pairs made non-candidates, and who was removed by which rule."""

    values: OfferValues
    exclusions: pd.DataFrame  # EXCLUSION_COLUMNS, one row per customer and rule

    def counts(self) -> dict[str, int]:
        found = self.exclusions["rule"].value_counts()
        return {rule: int(found.get(rule, 0)) for rule in RULE_NAMES}


def apply_rules(
    values: OfferValues,
    table: pd.DataFrame,
    catalogue: OfferCatalogue,
    rules: ContactRules,
    treated_recently: pd.DataFrame,
    *,
    minimum: float,
) -> RuledValues:
    """Mask the pairs the contact rules forbid.

    ``table``: per customer (index as ``values``) ``allows_messages`` and
    ``marketing_contacts_current_month``; ``treated_recently``: ``customer_id, campaign_id, starts_on``
    of customers treated inside the cool-down window (``store.treated_since``).
    """
    worth = values.worth(minimum).to_numpy()
    saved = values.expected_saved_profit.to_numpy(dtype=float)
    ids = values.cost.index
    offer_ids = np.array(values.cost.columns, dtype=object)
    removed = np.zeros_like(worth)
    rows: list[dict[str, Any]] = []

    def record(rule: str, mask: np.ndarray, detail: pd.Series) -> None:
        hit = mask & worth
        for i in np.nonzero(hit.any(axis=1))[0]:
            best = np.where(hit[i], saved[i], -np.inf).argmax()
            rows.append({"customer_id": ids[i], "offer_id": offer_ids[best], "rule": rule, "detail": detail.iloc[i]})

    by_message = np.array([catalogue.offer(o).needs_consent for o in offer_ids], dtype=bool)
    no_consent = ~table["allows_messages"].reindex(ids).fillna(False).astype(bool).to_numpy()
    consent = no_consent[:, None] & by_message[None, :]
    names = ", ".join(o for o, m in zip(offer_ids, by_message, strict=True) if m)
    record(CONSENT, consent, pd.Series(f"allows_messages = no; message offers removed: {names}", index=ids))
    removed |= consent

    contacts = table["marketing_contacts_current_month"].reindex(ids).to_numpy(dtype=float)
    capped = np.repeat((contacts >= rules.contact_cap)[:, None], len(offer_ids), axis=1)
    record(
        CONTACT_CAP,
        capped,
        pd.Series(
            [f"marketing_contacts_current_month = {c:g} >= cap {rules.contact_cap}" for c in contacts], index=ids
        ),
    )
    removed |= capped

    recent = treated_recently.drop_duplicates("customer_id").set_index("customer_id").reindex(ids)
    cooled = np.repeat(recent["campaign_id"].notna().to_numpy()[:, None], len(offer_ids), axis=1)
    details = [
        f"treated in {c} starting {s}, within {rules.cooldown_months} months" if isinstance(c, str) else ""
        for c, s in zip(recent["campaign_id"], recent["starts_on"], strict=True)
    ]
    record(COOLDOWN, cooled, pd.Series(details, index=ids))
    removed |= cooled

    keep = ~removed
    masked = replace(
        values,
        eligible=values.eligible & keep,
        expected_saved_profit=values.expected_saved_profit.where(keep),
    )
    exclusions = pd.DataFrame(rows, columns=EXCLUSION_COLUMNS)
    return RuledValues(masked, exclusions.sort_values(["customer_id", "rule"], kind="stable").reset_index(drop=True))


def one_row_per_customer(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table without repeated customer ids (the first row kept) and the exclusions of the repeats."""
    repeated = table.index.duplicated(keep="first")
    counts = table.index.value_counts()
    exclusions = pd.DataFrame(
        {
            "customer_id": table.index[repeated],
            "offer_id": None,
            "rule": ONE_OFFER_PER_CUSTOMER,
            "detail": [
                f"customer appears {counts[i]} times in the run; its first row is planned"
                for i in table.index[repeated]
            ],
        },
        columns=EXCLUSION_COLUMNS,
    ).drop_duplicates("customer_id")
    return table[~repeated], exclusions
