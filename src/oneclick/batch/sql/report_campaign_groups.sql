-- The campaign's customers of one id range, by the groups of report_groups.sql.
SELECT
    coalesce(o.segments, '') AS segments,
    o.risk_profit_cell,
    o.primary_segment,
    o.is_high_risk,
    o.offer,
    count(*) AS n_in_campaign,
    sum(p.campaign_cost) AS campaign_cost,
    sum(p.campaign_expected_saved_profit) AS campaign_expected_saved_profit
FROM read_parquet({offers}) AS o
JOIN report_campaign AS p ON p.customer_id = o.customer_id
WHERE p.customer_id BETWEEN {low} AND {high}
GROUP BY ALL
