-- The customer table of one id range by named segments, cell and category features: counts, sums
-- and sums of squares of the other features. The range's customers and its offers part are in the
-- same order (both by id, as the range was scored), so they are zipped by position; misaligned
-- counts the rows whose ids differ, and oneclick.batch.report_stats joins by id instead when it is
-- not 0. The category features and the sums are written there; the view report_customers by
-- oneclick.batch.report_inputs.
SELECT
    coalesce(o.segments, '') AS segments,
    o.risk_profit_cell,
    {categories},
    count(*) AS n,
    count(*) FILTER (WHERE k.customer_id IS DISTINCT FROM o.customer_id) AS misaligned,
    {sums}
FROM (SELECT * FROM report_customers WHERE customer_id BETWEEN {low} AND {high}) AS k
{join} (SELECT customer_id, segments, risk_profit_cell FROM read_parquet({offers})) AS o {on}
GROUP BY ALL
