-- The LP bound of the same greedy: what was taken plus the affordable share of the first step left out.
WITH ordered AS (
    SELECT
        step_cost, step_saved,
        sum(step_cost) OVER (
            ORDER BY efficiency DESC, customer_id, step
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS spent
    FROM read_parquet({candidates})
)
SELECT
    coalesce(sum(step_cost) FILTER (WHERE spent <= {budget}), 0) AS spent,
    coalesce(sum(step_saved) FILTER (WHERE spent <= {budget}), 0) AS saved,
    arg_min(step_saved * ({budget} - (spent - step_cost)) / step_cost, spent) FILTER (WHERE spent > {budget})
        AS partial
FROM ordered
