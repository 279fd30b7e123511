-- A segment's offer mix: the customers of segment $1 (a named segment in the ;-separated
-- `segments`, or a risk x profit cell) by their best offer.
SELECT
    offer,
    count(*) AS n_customers,
    count(*) / sum(count(*)) OVER () AS share,
    sum(expected_saved_profit) AS expected_saved_profit
FROM offers
WHERE list_contains(string_split(coalesce(segments, ''), ';'), $1) OR risk_profit_cell = $1
GROUP BY offer
ORDER BY n_customers DESC, offer
