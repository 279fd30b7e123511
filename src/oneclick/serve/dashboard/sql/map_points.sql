-- The customers of the risk x profit map: every one up to $1, else the same $1 every time
-- (ordered by a hash of the id, so a refresh of the page draws the same sample).
SELECT decline_probability, profit, primary_segment
FROM offers
WHERE profit IS NOT NULL
ORDER BY hash(customer_id), customer_id
LIMIT $1
