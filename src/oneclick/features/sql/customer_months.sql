-- One row per kept customer: every market_file attribute, the revenue of each month, the
-- minutes of each month and profit, side by side, before anything is derived from them.
-- Only customers in kept_customers go on; the others were excluded with a reason.
SELECT
    f.customer_id,
    f.activity_level,
    f.service_type,
    f.allows_messages,
    f.marketing_contacts_6m_avg,
    f.marketing_contacts_current_month,
    f.days_since_registration,
    f.promo_purchase_share,
    f.favourite_category,
    f.categories_viewed_per_visit,
    f.unpaid_items_quarter,
    f.n_service_errors,
    f.pages_per_visit,
    r.revenue_month_before_previous,
    r.revenue_previous_month,
    r.revenue_current_month,
    t.minutes_previous_month,
    t.minutes_current_month,
    m.profit
FROM market_file AS f
JOIN kept_customers AS k USING (customer_id)
JOIN revenue_by_month AS r USING (customer_id)
JOIN minutes_by_month AS t USING (customer_id)
JOIN money AS m USING (customer_id)
