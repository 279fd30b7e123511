-- The served run's customers in one row: how many, their profit at risk, how many at high risk,
-- and the expected saved profit of every customer's best offer.
SELECT
    count(*) AS n_customers,
    sum(profit_at_risk) AS profit_at_risk,
    count(*) FILTER (WHERE is_high_risk) AS n_high_risk,
    sum(expected_saved_profit) AS expected_saved_profit
FROM offers
