-- The customer table: every market_file attribute, monthly revenue and minutes with
-- their change, the label, and profit kept aside (not a model input).
-- Only customers in kept_customers go on; the others were excluded with a reason.
SELECT
    f.customer_id,
    f.service_type,
    f.allows_messages,
    f.marketing_contacts_6m_avg,
    f.marketing_contacts_current_month,
    f.days_since_registration,
    f.promo_purchase_share,
    f.favourite_category,
    f.categories_viewed_per_visit,
    f.unpaid_items_quarter,
    r.revenue_month_before_previous,
    r.revenue_previous_month,
    r.revenue_current_month,
    r.revenue_current_month - r.revenue_previous_month AS revenue_change,
    f.n_service_errors,
    f.pages_per_visit,
    CAST(t.minutes_previous_month AS DOUBLE) AS minutes_previous_month,
    CAST(t.minutes_current_month AS DOUBLE) AS minutes_current_month,
    CAST(t.minutes_current_month - t.minutes_previous_month AS DOUBLE) AS minutes_change,
    f.activity_level = 'declined' AS declined,
    m.profit
FROM market_file AS f
JOIN kept_customers AS k USING (customer_id)
JOIN revenue_by_month AS r USING (customer_id)
JOIN minutes_by_month AS t USING (customer_id)
JOIN money AS m USING (customer_id)
ORDER BY f.customer_id
