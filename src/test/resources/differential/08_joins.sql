-- Joins: inner, left, right, full, cross; explicit and comma style; NULL keys never match.

-- name: inner_join_explicit
SELECT t.id, u.uid, t.k FROM t JOIN u ON t.k = u.k;

-- name: inner_join_keyword_inner
SELECT t.id, u.uid FROM t INNER JOIN u ON t.k = u.k WHERE u.amount > 0;

-- name: inner_join_comma_style
SELECT t.id, u.uid FROM t, u WHERE t.k = u.k AND t.g = u.g;

-- name: inner_join_on_string
SELECT t.id, u.uid, t.g FROM t JOIN u ON t.g = u.g;

-- name: inner_join_two_keys
SELECT t.id, u.uid FROM t JOIN u ON t.k = u.k AND t.g = u.g;

-- name: inner_join_with_residual_condition
SELECT t.id, u.uid FROM t JOIN u ON t.k = u.k AND t.ii > u.uid * 100;

-- name: join_on_expression_key
SELECT t.id, u.uid FROM t JOIN u ON t.k + 1 = u.k;

-- name: left_join
SELECT t.id, u.uid, u.name FROM t LEFT JOIN u ON t.k = u.k;

-- name: left_outer_join_keyword
SELECT t.id, u.uid FROM t LEFT OUTER JOIN u ON t.k = u.k AND u.g = 'g1';

-- name: left_join_filter_on_right_in_on_clause
SELECT t.id, count(u.uid) AS matches FROM t LEFT JOIN u ON t.k = u.k AND u.amount > 10 GROUP BY t.id;

-- name: left_join_filter_on_right_in_where
SELECT t.id, u.uid FROM t LEFT JOIN u ON t.k = u.k WHERE u.amount > 10;

-- name: left_join_anti_pattern_is_null
SELECT t.id FROM t LEFT JOIN u ON t.k = u.k WHERE u.uid IS NULL;

-- name: right_join
SELECT t.id, u.uid FROM t RIGHT JOIN u ON t.k = u.k;

-- name: right_outer_join_with_filter
SELECT t.id, u.uid, u.k FROM t RIGHT OUTER JOIN u ON t.k = u.k AND t.b WHERE u.uid < 25;

-- name: full_join
SELECT t.id, u.uid FROM t FULL JOIN u ON t.k = u.k;

-- name: full_outer_join_on_strings
SELECT t.id, u.uid, t.g AS tg, u.g AS ug FROM t FULL OUTER JOIN u ON t.g = u.g AND t.k = u.k;

-- name: full_join_coalesce_keys
SELECT COALESCE(x.k, y.k) AS k, x.n AS tn, y.n AS un
FROM (SELECT k, count(*) AS n FROM t GROUP BY k) AS x
FULL JOIN (SELECT k, count(*) AS n FROM u GROUP BY k) AS y ON x.k = y.k;

-- name: cross_join_explicit
SELECT t.id, u.uid FROM t CROSS JOIN u WHERE t.id <= 5 AND u.uid <= 4;

-- name: cross_join_comma_no_predicate
SELECT a.uid, b.uid FROM u AS a, u AS b WHERE a.uid < 6 AND b.uid > 36;

-- name: self_join_with_aliases
SELECT a.id, b.id FROM t a JOIN t b ON a.k = b.k AND a.id < b.id WHERE a.g = 'g0';

-- name: three_way_join
SELECT t.id, u1.uid, u2.uid FROM t JOIN u u1 ON t.k = u1.k JOIN u u2 ON u1.g = u2.g WHERE t.id < 20;

-- name: join_then_left_join
SELECT t.id, u1.uid, u2.uid FROM t JOIN u u1 ON t.k = u1.k LEFT JOIN u u2 ON t.g = u2.g AND u2.uid > 30;

-- name: comma_join_four_tables
SELECT a.id, u.uid, b.id FROM t a, u, t b WHERE a.k = u.k AND b.id = u.uid AND a.id < 25;

-- name: join_aggregate_by_both_sides
SELECT t.g, u.g, count(*) AS n, sum(t.dec + u.amount) AS s FROM t JOIN u ON t.k = u.k GROUP BY t.g, u.g;

-- name: join_with_empty_table
SELECT t.id, e.id FROM t JOIN e ON t.id = e.id;

-- name: left_join_with_empty_table
SELECT t.id, e.id AS eid FROM t LEFT JOIN e ON t.id = e.id;

-- name: join_using
SELECT t.id, u.uid FROM t JOIN u USING (k);

-- name: join_on_decimal_and_date
SELECT a.id, b.id FROM t a JOIN t b ON a.sd = b.sd AND a.dt = b.dt WHERE a.id <> b.id;

-- name: join_derived_tables
SELECT x.g, x.n, y.total FROM (SELECT g, count(*) AS n FROM t GROUP BY g) AS x
JOIN (SELECT g, sum(amount) AS total FROM u GROUP BY g) AS y ON x.g = y.g;

-- name: full_join_union_all_probe_side
-- The probe side is two pipelines; build rows that neither matches come out once, after both ran.
SELECT x.id, u.uid FROM (SELECT id, k FROM t WHERE id < 50 UNION ALL SELECT id, k FROM t WHERE id >= 50) AS x
FULL JOIN u ON x.k = u.k;

-- name: right_join_union_all_probe_side
SELECT x.id, u.uid FROM (SELECT id, k FROM t WHERE id < 30 UNION ALL SELECT id, k FROM t WHERE id >= 70) AS x
RIGHT JOIN u ON x.k = u.k;

-- name: using_column_named_without_a_table
SELECT k, t.id, u.uid FROM t JOIN u USING (k) ORDER BY t.id, u.uid;

-- name: using_star_lists_the_column_once
SELECT * FROM t JOIN u USING (k) ORDER BY id, uid;

-- name: using_left_join_keeps_the_left_value
SELECT k, t.id, u.uid FROM t LEFT JOIN u USING (k) ORDER BY t.id, u.uid NULLS FIRST;

-- name: using_right_join_keeps_the_right_value
SELECT k, t.id, u.uid FROM t RIGHT JOIN u USING (k) ORDER BY u.uid, t.id NULLS FIRST;

-- name: using_full_join_coalesces
SELECT k, count(*) AS n, count(t.id) AS ts, count(u.uid) AS us FROM t FULL JOIN u USING (k) GROUP BY k ORDER BY k NULLS FIRST;

-- name: using_two_columns_star
SELECT * FROM t JOIN u USING (k, g) ORDER BY id, uid;

-- name: using_chained_on_the_same_name
SELECT k, count(*) AS n FROM t JOIN u USING (k) JOIN t t2 USING (k) GROUP BY k ORDER BY k;

-- name: natural_join_on_shared_names
SELECT * FROM t NATURAL JOIN u ORDER BY id, uid;

-- name: natural_left_join_with_group_by
SELECT k, g, count(u.uid) AS n FROM t NATURAL LEFT JOIN u GROUP BY k, g ORDER BY k NULLS FIRST, g NULLS FIRST;
