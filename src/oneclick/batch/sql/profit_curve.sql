-- The campaign's steps by bucket of efficiency (saving per unit of cost), best bucket first: their
-- count, cost, saving and the customers they start (step 0). The greedy takes whole buckets until
-- the one where the budget runs out; only that bucket's steps need sorting (profit_curve_steps.sql).
SELECT
    {bucket} AS bucket,
    count(*) AS n_steps,
    sum(step_cost) AS cost,
    sum(step_saved) AS saved,
    count(*) FILTER (WHERE step = 0) AS n_first
FROM read_parquet({candidates})
GROUP BY bucket
ORDER BY bucket DESC
