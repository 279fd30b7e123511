-- One page of a segment's customers (see segment_offers.sql), by profit at risk, largest first.
SELECT
    customer_id,
    decline_probability,
    profit,
    profit_at_risk,
    offer,
    expected_saved_profit,
    in_campaign
FROM offers
WHERE list_contains(string_split(coalesce(segments, ''), ';'), $1) OR risk_profit_cell = $1
ORDER BY profit_at_risk DESC NULLS LAST, customer_id
LIMIT $2 OFFSET $3
