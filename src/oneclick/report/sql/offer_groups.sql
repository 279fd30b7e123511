-- A batch run's offers by group of customers who share their primary segment, named segments, cell,
-- offer and campaign offer: the counts and sums the segments and offers sections show, in one pass.
-- Groups come in the order their first customer (by id) comes, as rows of offers.csv would.
SELECT
    o.primary_segment,
    coalesce(o.segments, '') AS segments,
    o.risk_profit_cell,
    o.is_high_risk,
    o.offer,
    coalesce(p.campaign_offer, '') AS campaign_offer,
    count(*) AS n,
    min(o.customer_id) AS first_id,
    sum(o.profit_at_risk) AS profit_at_risk,
    sum(o.offer_cost) AS offer_cost,
    sum(o.expected_saved_profit) AS expected_saved_profit,
    count(p.customer_id) AS in_campaign,
    coalesce(sum(p.campaign_expected_saved_profit), 0) AS campaign_expected_saved_profit
FROM read_parquet({offers}) AS o
LEFT JOIN {campaign} AS p ON p.customer_id = o.customer_id
GROUP BY ALL
ORDER BY first_id
