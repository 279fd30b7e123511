-- One row per customer id found in any table (valid rows only): how many rows they have in
-- each table and month, and their values side by side. A month whose rows disagree (same
-- key, different values) has no value here, as load_tables quarantines every copy; exact
-- copies count once. Repeated market_file or money rows show as a count above one, and the
-- global pass tells exact copies (any copy's values are the customer's) from conflicts.
WITH file_rows AS (
    SELECT customer_id, count(*) AS n_market_file_rows, {file_values}
    FROM checked_market_file
    GROUP BY customer_id
),
money_rows AS (
    SELECT customer_id, count(*) AS n_money_rows, any_value(profit) AS profit
    FROM checked_money
    GROUP BY customer_id
),
revenue AS (
    SELECT customer_id, count(*) AS n_market_money_rows, {revenue_aggregates}
    FROM checked_market_money
    GROUP BY customer_id
),
minutes AS (
    SELECT customer_id, count(*) AS n_market_time_rows, {minutes_aggregates}
    FROM checked_market_time
    GROUP BY customer_id
)
SELECT
    customer_id,
    coalesce(n_market_file_rows, 0) AS n_market_file_rows,
    coalesce(n_money_rows, 0) AS n_money_rows,
    coalesce(n_market_money_rows, 0) AS n_market_money_rows,
    coalesce(n_market_time_rows, 0) AS n_market_time_rows,
    {status_columns},
    {file_columns},
    profit
FROM file_rows
FULL JOIN money_rows USING (customer_id)
FULL JOIN revenue USING (customer_id)
FULL JOIN minutes USING (customer_id)
ORDER BY customer_id
