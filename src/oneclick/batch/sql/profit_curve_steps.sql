-- The steps of the buckets of efficiency where a budget runs out, bucket by bucket (best first),
-- each in the order the campaign takes them (as campaign.sql).
SELECT bucket, step, step_cost, step_saved
FROM (SELECT *, {bucket} AS bucket FROM read_parquet({candidates}))
WHERE bucket IN ({values})
ORDER BY bucket DESC, efficiency DESC, customer_id, step
