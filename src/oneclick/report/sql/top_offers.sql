-- The customers of a batch run with the largest expected saved profit (ties: the smaller id first),
-- with their campaign offer and their top drivers.
WITH top AS (
    SELECT *
    FROM read_parquet({offers})
    ORDER BY expected_saved_profit DESC, customer_id
    LIMIT {n}
)
SELECT
    top.*,
    p.customer_id IS NOT NULL AS in_campaign,
    coalesce(p.campaign_offer, '') AS campaign_offer,
    coalesce(p.campaign_cost, 0) AS campaign_cost,
    coalesce(p.campaign_expected_saved_profit, 0) AS campaign_expected_saved_profit,
    s.* EXCLUDE (customer_id, decline_probability, is_high_risk)
FROM top
LEFT JOIN {campaign} AS p ON p.customer_id = top.customer_id
LEFT JOIN read_parquet({scores}) AS s ON s.customer_id = top.customer_id
ORDER BY top.expected_saved_profit DESC, top.customer_id
