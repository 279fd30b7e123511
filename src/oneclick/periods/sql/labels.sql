-- Declined customers among the labelled ones, and the model's view, in each period.
SELECT
    period,
    count(declined) AS n_labelled,
    count(*) FILTER (WHERE declined) AS n_declined,
    avg(decline_probability) AS mean_probability,
    avg(CAST(decline_probability >= {threshold} AS DOUBLE)) AS high_risk_share
FROM (
    SELECT 'old' AS period, declined, decline_probability FROM old_scores
    UNION ALL
    SELECT 'new', declined, decline_probability FROM new_scores
)
GROUP BY period
