-- One row per group of customers of one id range (one offers part) who share their named segments,
-- cell and offer: what the offers summary and the segments' offer columns are summed from.
SELECT
    coalesce(segments, '') AS segments,
    risk_profit_cell,
    primary_segment,
    is_high_risk,
    offer,
    count(*) AS n,
    -- Ties of a most frequent offer go to the offer seen first, as pandas' value_counts orders them.
    min(customer_id) AS first_id,
    sum(profit_at_risk) AS profit_at_risk,
    sum(offer_cost) AS offer_cost,
    sum(expected_saved_profit) AS expected_saved_profit,
    sum(decline_probability) AS "sum:decline_probability",
    sum(profit) AS "sum:profit"
FROM read_parquet({offers})
GROUP BY ALL
