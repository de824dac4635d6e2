-- LATERAL subqueries in FROM: the subquery names columns of the tables before it. Kiln decorrelates
-- them into joins (the subquery runs once, not once per outer row).

-- name: lateral_comma_filter
SELECT u.uid, s.id FROM u, LATERAL (SELECT t.id FROM t WHERE t.k = u.k AND t.id < 12) s ORDER BY u.uid, s.id;

-- name: lateral_join_on_true
SELECT u.uid, s.id, s.ii FROM u JOIN LATERAL (SELECT id, ii FROM t WHERE t.k = u.k AND t.ii > 3000) s ON true
ORDER BY u.uid, s.id;

-- name: lateral_cross_join
SELECT u.uid, s.n FROM u CROSS JOIN LATERAL (SELECT t.id AS n FROM t WHERE t.id = u.uid * 3) s ORDER BY u.uid;

-- name: lateral_left_join_keeps_unmatched
SELECT u.uid, s.id FROM u LEFT JOIN LATERAL (SELECT id FROM t WHERE t.k = u.k AND t.id > 90) s ON true
ORDER BY u.uid, s.id NULLS FIRST;

-- name: lateral_scalar_aggregate
SELECT u.uid, s.n, s.total FROM u, LATERAL (SELECT count(*) AS n, sum(ii) AS total FROM t WHERE t.k = u.k) s
ORDER BY u.uid;

-- name: lateral_scalar_aggregate_left_join
SELECT u.uid, s.n, s.lo FROM u LEFT JOIN LATERAL (SELECT count(t.id) AS n, min(t.dec) AS lo FROM t WHERE t.k = u.k) s
ON true ORDER BY u.uid;

-- name: lateral_aggregate_with_arg_max
SELECT u.uid, s.best FROM u, LATERAL (SELECT arg_max(t.s, t.ii) AS best FROM t WHERE t.k = u.k) s ORDER BY u.uid;

-- name: lateral_grouped_aggregate
SELECT u.uid, s.g, s.n FROM u, LATERAL (SELECT t.g, count(*) AS n FROM t WHERE t.k = u.k GROUP BY t.g) s
WHERE u.uid < 8 ORDER BY u.uid, s.g NULLS FIRST;

-- name: lateral_select_list_uses_outer_columns
SELECT u.uid, s.x FROM u, LATERAL (SELECT t.id * 100 + u.uid AS x FROM t WHERE t.k = u.k AND t.id <= 20) s
ORDER BY u.uid, s.x;

-- name: lateral_non_equality_correlation
SELECT u.uid, s.id FROM u, LATERAL (SELECT t.id FROM t WHERE t.id BETWEEN u.uid AND u.uid + 2) s
ORDER BY u.uid, s.id;

-- name: lateral_with_on_condition
SELECT u.uid, s.id FROM u JOIN LATERAL (SELECT id, ii FROM t WHERE t.k = u.k) s ON s.ii > u.uid * 100
ORDER BY u.uid, s.id;

-- name: lateral_aggregate_with_on_condition
SELECT u.uid, s.n FROM u JOIN LATERAL (SELECT count(*) AS n FROM t WHERE t.k = u.k) s ON s.n > 9 ORDER BY u.uid;

-- name: lateral_no_outer_reference
SELECT u.uid, s.m FROM u, LATERAL (SELECT max(id) AS m FROM t) s WHERE u.uid < 4 ORDER BY u.uid;

-- name: lateral_two_laterals
SELECT u.uid, a.n, b.m FROM u, LATERAL (SELECT count(*) AS n FROM t WHERE t.k = u.k) a,
  LATERAL (SELECT max(t.id) AS m FROM t WHERE t.k = a.n % 10) b ORDER BY u.uid;

-- name: lateral_non_equality_correlation_left_join
SELECT u.uid, s.id FROM u LEFT JOIN LATERAL (SELECT t.id FROM t WHERE t.id > u.uid * 3 AND t.k = 1) s ON true
ORDER BY u.uid, s.id NULLS FIRST;

-- name: lateral_empty_outer
SELECT e.id, s.n FROM e, LATERAL (SELECT count(*) AS n FROM u WHERE u.k = e.k) s ORDER BY e.id;

-- name: lateral_empty_inner
SELECT u.uid, s.id FROM u, LATERAL (SELECT e.id FROM e WHERE e.k = u.k) s ORDER BY u.uid, s.id;

-- name: lateral_empty_inner_aggregate
SELECT u.uid, s.n, s.m FROM u, LATERAL (SELECT count(*) AS n, max(e.id) AS m FROM e WHERE e.k = u.k) s
ORDER BY u.uid;

-- name: lateral_then_group_by
SELECT u.g, count(*) AS pairs, sum(s.ii) AS total FROM u, LATERAL (SELECT ii FROM t WHERE t.k = u.k) s
GROUP BY u.g ORDER BY u.g NULLS FIRST;

-- name: lateral_null_correlation_keys
SELECT t.id, s.n FROM t, LATERAL (SELECT count(*) AS n FROM u WHERE u.k = t.k) s WHERE t.k IS NULL ORDER BY t.id;

-- name: lateral_over_subquery_in_from
SELECT x.uid, s.id FROM (SELECT uid, k FROM u WHERE uid % 5 = 0) x,
  LATERAL (SELECT id FROM t WHERE t.k = x.k AND t.id < 25) s ORDER BY x.uid, s.id;

-- name: lateral_correlated_on_expression
SELECT u.uid, s.n FROM u, LATERAL (SELECT count(*) AS n FROM t WHERE t.k = u.uid % 10) s ORDER BY u.uid;

-- name: lateral_date_correlation
SELECT u.uid, s.n FROM u, LATERAL (SELECT count(*) AS n FROM t WHERE t.dt = u.ud) s ORDER BY u.uid;

-- name: lateral_top_n_per_outer_row
SELECT u.uid, s.id, s.ii FROM u, LATERAL (SELECT id, ii FROM t WHERE t.k = u.k ORDER BY ii DESC NULLS LAST, id LIMIT 2) s
ORDER BY u.uid, s.ii DESC NULLS LAST, s.id;

-- name: lateral_limit_offset
SELECT u.uid, s.id FROM u, LATERAL (SELECT id FROM t WHERE t.g = u.g ORDER BY id LIMIT 3 OFFSET 2) s
WHERE u.uid <= 15 ORDER BY u.uid, s.id;

-- name: lateral_left_join_limit
SELECT u.uid, s.id FROM u LEFT JOIN LATERAL (SELECT id FROM t WHERE t.k = u.k AND t.id > 80 ORDER BY id DESC LIMIT 1) s
ON true ORDER BY u.uid;

-- name: lateral_limit_with_aggregate_above
SELECT u.g, count(*) AS n, sum(s.id) AS ids FROM u, LATERAL (SELECT id FROM t WHERE t.k = u.k ORDER BY t.id LIMIT 1) s
GROUP BY u.g ORDER BY u.g NULLS FIRST;
