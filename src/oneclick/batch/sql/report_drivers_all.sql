-- Every feature's contribution to risk of one id range (the batch kept them all), summed by named
-- segments and cell. The offers and scores parts of a range hold the same customers in the same
-- order (one batch wrote both), so they are zipped by position; misaligned must be 0.
SELECT
    coalesce(o.segments, '') AS segments,
    o.risk_profit_cell,
    count(s.{first}) AS n_explained,
    count(*) FILTER (WHERE o.customer_id IS DISTINCT FROM s.customer_id) AS misaligned,
    {sums}
FROM (SELECT customer_id, segments, risk_profit_cell FROM read_parquet({offers})) AS o
POSITIONAL JOIN (SELECT customer_id, {columns} FROM read_parquet({scores})) AS s
GROUP BY ALL
