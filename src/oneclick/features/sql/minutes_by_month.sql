-- Behaviour on the site: one row per customer, minutes on the site in each of the two months.
SELECT
    customer_id,
    max(minutes) FILTER (WHERE period = 'previous_month') AS minutes_previous_month,
    max(minutes) FILTER (WHERE period = 'current_month')  AS minutes_current_month
FROM market_time
GROUP BY customer_id
