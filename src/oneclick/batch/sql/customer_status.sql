-- One row per customer id found in any table (valid rows only): which rows they have, and
-- their revenue per month. A month whose rows disagree (same key, different values) has no
-- revenue here, as load_tables quarantines every copy; exact copies count once.
WITH file_rows AS (
    SELECT customer_id, count(*) AS n_market_file_rows FROM checked_market_file GROUP BY customer_id
),
money_rows AS (
    SELECT customer_id, count(*) AS n_money_rows FROM checked_money GROUP BY customer_id
),
revenue AS (
    SELECT customer_id, {revenue_aggregates} FROM checked_market_money GROUP BY customer_id
),
minutes AS (
    SELECT customer_id, {minutes_aggregates} FROM checked_market_time GROUP BY customer_id
)
SELECT
    customer_id,
    coalesce(n_market_file_rows, 0) AS n_market_file_rows,
    coalesce(n_money_rows, 0) AS n_money_rows,
    {status_columns}
FROM file_rows
FULL JOIN money_rows USING (customer_id)
FULL JOIN revenue USING (customer_id)
FULL JOIN minutes USING (customer_id)
