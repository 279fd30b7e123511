-- How often each value of one column occurs in each period: {value} is the column cast to DOUBLE
-- or VARCHAR, {old} and {new} the two periods' relations. Missing values are left out, as
-- Evidently leaves them out.
WITH old_values AS (
    SELECT {value} AS value, count(*) AS n FROM {old} WHERE {value} IS NOT NULL GROUP BY ALL
),
new_values AS (
    SELECT {value} AS value, count(*) AS n FROM {new} WHERE {value} IS NOT NULL GROUP BY ALL
)
SELECT
    coalesce(o.value, c.value) AS value,
    coalesce(o.n, 0) AS n_old,
    coalesce(c.n, 0) AS n_new
FROM old_values AS o
FULL OUTER JOIN new_values AS c ON o.value = c.value
ORDER BY 1
