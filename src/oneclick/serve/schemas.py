"""The service's request and answer models. The customer sent is generated from ingest's schemas.

``Customer`` has one field per ``oneclick.features.input_fields()``: the types, bounds and
allowed values of the pandera schemas the exports are checked by, so OpenAPI shows (and a 422
names) exactly what ingest would accept. Unknown fields are refused, not ignored: a misspelt
field would otherwise be scored as missing.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from oneclick.features import InputField, input_fields

_TYPES: dict[str, Any] = {"integer": int, "number": float, "boolean": bool}


def _field(spec: InputField) -> tuple[Any, Any]:
    kind = Literal[spec.allowed] if spec.allowed else _TYPES[spec.kind]  # type: ignore[valid-type]
    if not spec.required:
        kind = kind | None
    bounds = {
        "ge": spec.minimum,
        "gt": spec.exclusive_minimum,
        "le": spec.maximum,
    }
    extra = {k: v for k, v in bounds.items() if v is not None}
    default = ... if spec.required else None
    return kind, Field(default, description=spec.description, **extra)


Customer = create_model(  # type: ignore[call-overload]
    "Customer",
    __config__=ConfigDict(extra="forbid", allow_inf_nan=False),
    __doc__="One customer under the English names of the feature table (customer_features.parquet).",
    **{spec.name: _field(spec) for spec in input_fields()},
)


MAX_CUSTOMERS = 10_000  # per request: what a CRM export of one segment needs
Customers = Customer | Annotated[list[Customer], Field(min_length=1, max_length=MAX_CUSTOMERS)]  # type: ignore[valid-type]


class Driver(BaseModel):
    feature: str
    group: str
    contribution: float = Field(description="Contribution to the log-odds of a decline")
    text: str


class OfferAnswer(BaseModel):
    offer: str
    title: str
    reason: str
    cost: float
    uplift_assumed: float
    expected_saved_profit: float = Field(description="Profit units over the catalogue's horizon, net of cost")


class ScoreAnswer(BaseModel):
    customer_id: int | None
    decline_probability: float = Field(ge=0, le=1)
    is_high_risk: bool
    drivers: list[Driver]
    primary_segment: str | None
    segments: list[str]
    risk_profit_cell: str | None
    profit: float | None
    profit_at_risk: float | None
    offer: OfferAnswer | None


class ScoreResponse(BaseModel):
    model_id: str
    run_id: str | None = Field(description="The run whose rules (thresholds, learned values) judged the customers")
    customers: list[ScoreAnswer]


class GroupContribution(BaseModel):
    group: str
    contribution: float


class StoredCustomer(BaseModel):
    customer_id: int
    run_id: str
    decline_probability: float
    is_high_risk: bool
    drivers: list[str]
    drivers_by_group: list[GroupContribution]
    contributions: dict[str, float]
    primary_segment: str | None
    segments: list[str]
    risk_profit_cell: str | None
    profit: float | None
    profit_at_risk: float | None
    offer: str | None
    offer_title: str | None
    expected_saved_profit: float | None
    reason: str | None
    in_campaign: bool | None


class Problem(BaseModel):
    detail: str


class ServerError(BaseModel):
    detail: str
    error_id: str


class Health(BaseModel):
    status: Literal["ok"]
    model_id: str
    run_id: str | None
    loaded_at: str
    store_error: str | None


class Table(BaseModel):
    """Rows of a library table, as records."""

    run_id: str | None
    rows: list[dict[str, Any]]


class CampaignAnswer(BaseModel):
    run_id: str
    plan: dict[str, Any]
    by_segment: list[dict[str, Any]]
    profit_curve: list[dict[str, Any]]
