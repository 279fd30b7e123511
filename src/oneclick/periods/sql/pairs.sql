-- The customers of both periods: OLD's prediction and NEW's label (the outcome of the prediction).
SELECT o.customer_id, o.decline_probability AS probability_old, n.declined AS declined_new
FROM old_scores AS o
JOIN new_scores AS n USING (customer_id)
WHERE n.declined IS NOT NULL
ORDER BY o.customer_id
