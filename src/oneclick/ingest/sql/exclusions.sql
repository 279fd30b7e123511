-- Why each customer is left out (see ingest/exclusions.py): a missing row first, then inactivity
-- (when the policy excludes inactive customers), then a revenue outlier (when the policy
-- excludes them). A NULL reason means the customer is kept.
WITH judged AS (
    SELECT
        s.customer_id,
        nullif(concat_ws('; ', {missing_reasons}), '') AS missing,
        {inactive_months} AS inactive_months,
        o.reason AS outlier
    FROM customer_status AS s
    LEFT JOIN outlier_exclusions AS o USING (customer_id)
)
SELECT
    customer_id,
    coalesce(
        missing,
        CASE WHEN {exclude_inactive} AND inactive_months <> '' THEN 'inactive: zero revenue in ' || inactive_months END,
        outlier
    ) AS reason,
    missing IS NULL AND inactive_months <> '' AS is_inactive
FROM judged
