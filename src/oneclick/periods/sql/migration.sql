-- Customers of both periods by where they were (OLD) and where they are (NEW): {column} is
-- risk_profit_cell or primary_segment of the scored periods.
SELECT o.{column} AS old_value, n.{column} AS new_value, count(*) AS n
FROM old_scores AS o
JOIN new_scores AS n USING (customer_id)
GROUP BY ALL
