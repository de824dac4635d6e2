-- Subqueries: in FROM, scalar, IN / NOT IN (NULLs on either side), EXISTS / NOT EXISTS,
-- correlated and not.

-- name: derived_table_filter
SELECT x.id, x.total FROM (SELECT id, ii + si AS total FROM t) AS x WHERE x.total > 0;

-- name: derived_table_nested
SELECT y.g, y.m FROM (SELECT g, max(x.v) AS m FROM (SELECT g, ii * 2 AS v FROM t) AS x GROUP BY g) AS y WHERE y.m > 0;

-- name: derived_table_aggregate_of_aggregate
SELECT count(*) AS groups_, sum(n) AS rows_, max(n) AS biggest FROM (SELECT k, count(*) AS n FROM t GROUP BY k) AS c;

-- name: scalar_subquery_in_select
SELECT id, ii, (SELECT max(ii) FROM t) AS top FROM t;

-- name: scalar_subquery_in_where
SELECT id, dec FROM t WHERE dec > (SELECT avg(dec) FROM t);

-- name: scalar_subquery_empty_is_null
SELECT id, (SELECT uid FROM u WHERE uid > 1000) AS none FROM t WHERE id <= 3;

-- name: scalar_subquery_arithmetic
SELECT id FROM t WHERE ii > (SELECT min(ii) FROM t) + 9000;

-- name: correlated_scalar_count
SELECT t.id, (SELECT count(*) FROM u WHERE u.k = t.k) AS n FROM t;

-- name: correlated_scalar_sum_can_be_null
SELECT t.id, (SELECT sum(u.amount) FROM u WHERE u.k = t.k) AS total FROM t;

-- name: correlated_scalar_in_where_like_q17
SELECT t.id, t.dec FROM t WHERE t.dec < (SELECT 0.5 * avg(t2.dec) FROM t t2 WHERE t2.g = t.g);

-- name: correlated_scalar_max_like_q2
SELECT t.id FROM t WHERE t.ii = (SELECT max(t2.ii) FROM t t2 WHERE t2.k = t.k);

-- name: in_subquery
SELECT id, k FROM t WHERE k IN (SELECT k FROM u WHERE amount > 0);

-- name: in_subquery_with_nulls_on_both_sides
SELECT id, k FROM t WHERE k IN (SELECT k FROM u);

-- name: not_in_subquery_without_nulls
SELECT id, k FROM t WHERE k NOT IN (SELECT k FROM u WHERE k IS NOT NULL AND uid < 20);

-- name: not_in_subquery_containing_null_is_empty
SELECT id, k FROM t WHERE k NOT IN (SELECT k FROM u);

-- name: not_in_empty_subquery_keeps_null_keys
SELECT id, k FROM t WHERE k NOT IN (SELECT k FROM u WHERE uid > 1000);

-- name: in_subquery_in_projection_three_valued
SELECT id, k IN (SELECT k FROM u WHERE uid < 12) AS a, k NOT IN (SELECT k FROM u WHERE k IS NOT NULL) AS c FROM t;

-- name: in_subquery_strings
SELECT id, g FROM t WHERE g IN (SELECT g FROM u WHERE uid % 2 = 0);

-- name: in_subquery_aggregated_like_q18
SELECT id, k FROM t WHERE k IN (SELECT k FROM t GROUP BY k HAVING sum(ii) > 0);

-- name: correlated_in_subquery
SELECT t.id FROM t WHERE t.k IN (SELECT u.k FROM u WHERE u.g = t.g);

-- name: exists_uncorrelated
SELECT id FROM t WHERE EXISTS (SELECT * FROM u WHERE uid > 39);

-- name: not_exists_uncorrelated_empty
SELECT id FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE uid > 1000);

-- name: exists_correlated
SELECT t.id FROM t WHERE EXISTS (SELECT * FROM u WHERE u.k = t.k AND u.amount > 20);

-- name: not_exists_correlated
SELECT t.id, t.k FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE u.k = t.k);

-- name: exists_correlated_with_inequality_like_q21
SELECT a.id FROM t a WHERE EXISTS (SELECT * FROM t b WHERE b.k = a.k AND b.id <> a.id AND b.g = 'g4')
  AND NOT EXISTS (SELECT * FROM t c WHERE c.k = a.k AND c.id <> a.id AND c.b);

-- name: exists_in_projection
SELECT t.id, EXISTS (SELECT * FROM u WHERE u.k = t.k) AS has_match FROM t;

-- name: nested_in_subqueries_like_q20
SELECT uid, name FROM u WHERE k IN (SELECT k FROM t WHERE g IN (SELECT g FROM u WHERE amount > 50)) AND uid > 5;

-- name: correlated_subquery_in_derived_table
SELECT x.g, count(*) AS n FROM (SELECT t.g FROM t WHERE t.ii > (SELECT avg(t2.ii) FROM t t2 WHERE t2.k = t.k)) AS x GROUP BY x.g;

-- name: subquery_in_case
SELECT id, CASE WHEN k IN (SELECT k FROM u WHERE uid < 5) THEN 'early' ELSE 'other' END AS tag FROM t;

-- name: correlated_count_with_correlation_in_every_or_branch
SELECT id FROM t WHERE (SELECT count(*) FROM u WHERE (u.k = t.k AND u.uid < 10) OR (u.k = t.k AND u.uid > 90)) > 0;

-- name: correlated_scalar_order_by_limit
SELECT uid, (SELECT t.id FROM t WHERE t.k = u.k ORDER BY t.ii DESC NULLS LAST, t.id LIMIT 1) AS top FROM u
ORDER BY uid;

-- name: correlated_exists_limit_offset
SELECT uid FROM u WHERE EXISTS (SELECT 1 FROM t WHERE t.g = u.g ORDER BY t.id LIMIT 1 OFFSET 18) ORDER BY uid;

-- name: not_in_correlated_by_a_non_equality
SELECT id, k NOT IN (SELECT u.k FROM u WHERE u.uid > t.id) AS not_in FROM t WHERE id BETWEEN 30 AND 45 ORDER BY id;

-- name: in_correlated_by_a_non_equality
SELECT id, k IN (SELECT u.k FROM u WHERE u.uid > t.id) AS in_sub FROM t ORDER BY id;

-- name: not_in_correlated_by_an_equality_and_a_non_equality
SELECT id, k NOT IN (SELECT u.k FROM u WHERE u.g = t.g AND u.uid > t.id) AS not_in FROM t ORDER BY id;

-- name: not_in_correlated_by_a_non_equality_as_a_filter
SELECT count(*) AS n FROM t WHERE k NOT IN (SELECT u.k FROM u WHERE u.uid < t.id);
