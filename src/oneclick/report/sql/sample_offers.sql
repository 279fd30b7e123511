-- The offers of the customers of a batch run's sample (customer_features.parquet), with their
-- campaign offer, in id order: the rows the sections that draw customers read.
SELECT
    o.*,
    p.customer_id IS NOT NULL AS in_campaign,
    coalesce(p.campaign_offer, '') AS campaign_offer,
    coalesce(p.campaign_cost, 0) AS campaign_cost,
    coalesce(p.campaign_expected_saved_profit, 0) AS campaign_expected_saved_profit
FROM read_parquet({offers}) AS o
SEMI JOIN read_parquet({sample}) AS f ON f.customer_id = o.customer_id
LEFT JOIN {campaign} AS p ON p.customer_id = o.customer_id
ORDER BY o.customer_id
