-- The campaign under a budget, as the LP greedy of the multiple-choice knapsack: every
-- customer's upper hull of (cost, saving) is cut into steps of falling efficiency; the steps of
-- all customers are taken best first while the budget lasts. A customer gets the offer at the
-- end of their last step taken. Ties are broken by customer id, so the plan is reproducible.
WITH ordered AS (
    SELECT
        customer_id, step, offer, step_cost, step_saved,
        sum(step_cost) OVER (
            ORDER BY efficiency DESC, customer_id, step
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS spent
    FROM read_parquet({candidates})
)
SELECT
    customer_id,
    arg_max(offer, step) AS campaign_offer,
    sum(step_cost) AS campaign_cost,
    sum(step_saved) AS campaign_expected_saved_profit
FROM ordered
WHERE spent <= {budget}
GROUP BY customer_id
ORDER BY customer_id
