-- The top drivers' contributions to risk of one id range, summed by named segments and cell,
-- one row per feature (a customer counts once per slot, in order of |contribution|).
-- The offers and scores parts of a range hold the same customers in the same order (one batch
-- wrote both), so they are zipped by position; misaligned must be 0.
SELECT
    segments,
    risk_profit_cell,
    feature,
    count(*) FILTER (WHERE slot = 1) AS n_explained,
    count(*) FILTER (WHERE misaligned) AS misaligned,
    sum(contribution) AS contribution
FROM (
    SELECT
        coalesce(o.segments, '') AS segments,
        o.risk_profit_cell,
        o.customer_id IS DISTINCT FROM s.customer_id AS misaligned,
        unnest({slots}) AS slot,
        unnest({features}) AS feature,
        unnest({contributions}) AS contribution
    FROM read_parquet({offers}) AS o
    POSITIONAL JOIN read_parquet({scores}) AS s
)
WHERE feature IS NOT NULL AND contribution IS NOT NULL
GROUP BY ALL
