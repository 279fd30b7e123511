-- The top drivers of one id range by named segments, cell and the features in each driver slot
-- (in order of |contribution|): customers and summed contributions per slot. The offers and scores
-- parts of a range hold the same customers in the same order (one batch wrote both), so they are
-- zipped by position; misaligned must be 0. The slots' columns are written by
-- oneclick.batch.report_stats.
SELECT
    coalesce(o.segments, '') AS segments,
    o.risk_profit_cell,
    {features},
    count(*) AS n,
    count(*) FILTER (WHERE o.customer_id IS DISTINCT FROM s.customer_id) AS misaligned,
    {sums}
FROM (SELECT customer_id, segments, risk_profit_cell FROM read_parquet({offers})) AS o
POSITIONAL JOIN (SELECT customer_id, {columns} FROM read_parquet({scores})) AS s
GROUP BY ALL
