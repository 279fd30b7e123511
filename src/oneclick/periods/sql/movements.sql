-- Who stayed, left and joined, with the left customers' last figures and the joined ones' first.
SELECT
    (SELECT count(*) FROM old_scores) AS n_old,
    (SELECT count(*) FROM new_scores) AS n_new,
    (SELECT count(*) FROM old_scores JOIN new_scores USING (customer_id)) AS n_both,
    (SELECT avg(decline_probability) FROM old_scores ANTI JOIN new_scores USING (customer_id)) AS left_mean_probability,
    (SELECT avg(CAST(declined AS DOUBLE)) FROM old_scores ANTI JOIN new_scores USING (customer_id)) AS left_declined_share,
    (SELECT avg(profit) FROM old_scores ANTI JOIN new_scores USING (customer_id)) AS left_mean_profit,
    (SELECT list(customer_id ORDER BY customer_id)[1:5] FROM old_scores ANTI JOIN new_scores USING (customer_id))
        AS left_examples,
    (SELECT avg(decline_probability) FROM new_scores ANTI JOIN old_scores USING (customer_id)) AS joined_mean_probability,
    (SELECT avg(CAST(declined AS DOUBLE)) FROM new_scores ANTI JOIN old_scores USING (customer_id))
        AS joined_declined_share,
    (SELECT avg(profit) FROM new_scores ANTI JOIN old_scores USING (customer_id)) AS joined_mean_profit,
    (SELECT list(customer_id ORDER BY customer_id)[1:5] FROM new_scores ANTI JOIN old_scores USING (customer_id))
        AS joined_examples
