-- The customer table: every market_file attribute, monthly revenue and minutes with
-- their change, the label, and profit kept aside (not a model input); one row per
-- customer of customer_months, in no particular order. A name in braces is a derived
-- feature, its expression in features/derived.py.
SELECT
    customer_id,
    service_type,
    allows_messages,
    marketing_contacts_6m_avg,
    marketing_contacts_current_month,
    days_since_registration,
    promo_purchase_share,
    favourite_category,
    categories_viewed_per_visit,
    unpaid_items_quarter,
    revenue_month_before_previous,
    revenue_previous_month,
    revenue_current_month,
    {revenue_change} AS revenue_change,
    n_service_errors,
    pages_per_visit,
    CAST(minutes_previous_month AS DOUBLE) AS minutes_previous_month,
    CAST(minutes_current_month AS DOUBLE) AS minutes_current_month,
    CAST({minutes_change} AS DOUBLE) AS minutes_change,
    activity_level = 'declined' AS declined,
    profit
FROM customer_months
