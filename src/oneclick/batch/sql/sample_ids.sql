-- A seeded sample of the kept customers: the n whose hash of (id, seed) is smallest. The same ids
-- and seed give the same sample on any engine, range cut or batch size (DuckDB's hash, of the
-- pinned DuckDB version); ties, if any, by id.
SELECT customer_id
FROM report_scores
ORDER BY hash(customer_id, {seed}), customer_id
LIMIT {n}
