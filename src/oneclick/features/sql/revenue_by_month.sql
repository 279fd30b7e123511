-- Purchasing behaviour: one row per customer, revenue of each of the three months.
SELECT
    customer_id,
    max(revenue) FILTER (WHERE period = 'month_before_previous') AS revenue_month_before_previous,
    max(revenue) FILTER (WHERE period = 'previous_month')        AS revenue_previous_month,
    max(revenue) FILTER (WHERE period = 'current_month')         AS revenue_current_month
FROM market_money
GROUP BY customer_id
