-- The empty table e (t's schema, no rows) and NULL-only inputs.

-- name: empty_select_all
SELECT * FROM e;

-- name: empty_global_aggregates
SELECT count(*) AS n, count(ii) AS c, sum(ii) AS s, avg(dec) AS a, min(s) AS mi, max(dt) AS ma FROM e;

-- name: empty_statistics
SELECT stddev_samp(d) AS sd, var_samp(d) AS v, count(DISTINCT k) AS dk, sum(dec4) AS s4 FROM e;

-- name: empty_grouped_aggregate_has_no_rows
SELECT g, count(*) AS n FROM e GROUP BY g;

-- name: empty_filter_clause
SELECT count(*) FILTER (WHERE b) AS n, sum(ii) FILTER (WHERE k > 1) AS s FROM e;

-- name: empty_order_limit
SELECT id FROM e ORDER BY id LIMIT 5;

-- name: empty_distinct
SELECT DISTINCT g FROM e;

-- name: empty_union_all
SELECT id FROM e UNION ALL SELECT uid FROM u WHERE uid < 3;

-- name: empty_except
SELECT k FROM u EXCEPT SELECT k FROM e;

-- name: empty_intersect
SELECT k FROM u INTERSECT SELECT k FROM e;

-- name: empty_in_subquery
SELECT uid FROM u WHERE k IN (SELECT k FROM e);

-- name: empty_not_in_subquery_keeps_everything
SELECT uid, k FROM u WHERE k NOT IN (SELECT k FROM e);

-- name: empty_exists
SELECT uid FROM u WHERE EXISTS (SELECT * FROM e WHERE e.k = u.k);

-- name: empty_not_exists
SELECT uid FROM u WHERE NOT EXISTS (SELECT * FROM e WHERE e.k = u.k);

-- name: empty_right_side_of_full_join
SELECT u.uid, e.id FROM u FULL JOIN e ON u.k = e.k;

-- name: empty_scalar_subquery
SELECT uid, (SELECT max(ii) FROM e) AS m FROM u WHERE uid < 4;

-- name: empty_derived_table_aggregate
SELECT count(*) AS n, sum(x.v) AS s FROM (SELECT ii AS v FROM e WHERE ii > 0) AS x;

-- name: null_literal_arithmetic_and_comparison
SELECT id, CAST(NULL AS INTEGER) + 1 AS a, ii = CAST(NULL AS INTEGER) AS c, COALESCE(CAST(NULL AS VARCHAR), 'x') AS e FROM t WHERE id < 4;

-- name: null_group_key_sorted_explicitly
SELECT nv, count(*) AS n FROM t GROUP BY nv ORDER BY nv NULLS FIRST;

-- name: null_keys_do_not_join
SELECT a.id, b.id FROM t a JOIN t b ON a.nv = b.nv;

-- name: count_distinct_all_nulls
SELECT g, count(DISTINCT nv) AS dn FROM t GROUP BY g;

-- name: min_max_on_all_null_strings
SELECT min(s) AS mi, max(s) AS ma FROM t WHERE s IS NULL;
