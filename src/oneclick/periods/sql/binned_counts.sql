-- A numeric column with too many distinct values to fetch its counts: the values of both periods
-- on {n_bins} equal bins from {low}, {width} wide, each bin standing for its centre.
WITH both_periods AS (
    SELECT CAST({column} AS DOUBLE) AS x, TRUE AS is_old FROM {old}
    UNION ALL
    SELECT CAST({column} AS DOUBLE), FALSE FROM {new}
)
SELECT
    {low} + (least(floor((x - {low}) / {width}), {n_bins} - 1) + 0.5) * {width} AS value,
    count(*) FILTER (WHERE is_old) AS n_old,
    count(*) FILTER (WHERE NOT is_old) AS n_new
FROM both_periods
WHERE x IS NOT NULL
GROUP BY 1
ORDER BY 1
