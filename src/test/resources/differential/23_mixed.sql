-- Existing features at their edges: NULLs, ties, empty inputs and partitions, window frames at
-- partition edges, grouping sets over NULL keys, correlated subqueries in select lists and under
-- joins, USING joins, functions at edge values and casts between types.

-- name: mixed_null_safe_comparisons
SELECT id, k IS NOT DISTINCT FROM nv AS same, k IS DISTINCT FROM 3 AS differs FROM t WHERE id <= 25 ORDER BY id;

-- name: mixed_three_valued_logic
SELECT id, b AND k > 4 AS a, b OR k > 4 AS o, NOT b AS n, (b AND NULL) IS NULL AS undecided FROM t
WHERE id <= 30 ORDER BY id;

-- name: mixed_coalesce_nullif_chain
SELECT id, coalesce(nv, k, ti, -1) AS c, nullif(k, 0) AS z, coalesce(nullif(s, ''), '<empty>') AS s2 FROM t
WHERE id <= 40 ORDER BY id;

-- name: mixed_case_without_else
SELECT id, CASE WHEN k < 3 THEN 'low' WHEN k < 7 THEN 'mid' END AS band FROM t ORDER BY id;

-- name: mixed_in_list_with_null
SELECT id, k IN (1, 2, NULL) AS in_n, k NOT IN (1, 2, NULL) AS not_in_n FROM t WHERE id <= 25 ORDER BY id;

-- name: mixed_count_distinct_with_nulls
SELECT count(DISTINCT k) AS dk, count(DISTINCT g) AS dg, count(DISTINCT nv) AS dn, count(k) AS ck, count(*) AS n FROM t;

-- name: mixed_group_by_null_key_ties
SELECT nv IS NULL AS missing, count(*) AS n, min(id) AS first_id FROM t GROUP BY nv IS NULL ORDER BY missing;

-- name: mixed_having_without_group_by
SELECT count(*) AS n FROM t HAVING count(*) > 50;

-- name: mixed_having_without_group_by_empty
SELECT count(*) AS n FROM e HAVING count(*) > 0;

-- name: mixed_aggregates_over_empty_groups
SELECT k, count(*) AS n, sum(ii) AS s, avg(d) AS a FROM t WHERE k = 3 AND ii IS NULL GROUP BY k ORDER BY k;

-- name: mixed_global_aggregates_empty_filter
SELECT count(*) AS n, sum(ii) AS s, min(s) AS lo, max(dt) AS hi, avg(dec) AS a FROM t WHERE id > 1000;

-- name: mixed_order_by_expression_nulls_last
SELECT id, k FROM t WHERE id <= 40 ORDER BY k % 3 DESC NULLS LAST, id;

-- name: mixed_limit_offset_past_end
SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 95;

-- name: mixed_limit_zero
SELECT id FROM t ORDER BY id LIMIT 0;

-- name: mixed_distinct_on_nulls
SELECT DISTINCT k % 2 AS p, g FROM t ORDER BY p NULLS FIRST, g NULLS FIRST;

-- name: mixed_window_lag_at_partition_edges
SELECT id, k, lag(id) OVER (PARTITION BY k ORDER BY id) AS prev, lead(id, 2) OVER (PARTITION BY k ORDER BY id) AS next2
FROM t ORDER BY id;

-- name: mixed_window_rows_frame_edges
SELECT id, k, sum(ii) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS s,
  count(ii) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS c
FROM t ORDER BY id;

-- name: mixed_window_first_last_value_edges
SELECT id, g, first_value(ii) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS f,
  last_value(ii) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS l
FROM t ORDER BY id;

-- name: mixed_window_range_with_null_order_keys
SELECT id, k, count(*) OVER (ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS c FROM t ORDER BY id;

-- name: mixed_window_rank_over_ties
SELECT id, k, rank() OVER (ORDER BY k NULLS FIRST) AS r, dense_rank() OVER (ORDER BY k NULLS FIRST) AS dr
FROM t ORDER BY id;

-- name: mixed_window_over_empty_input
SELECT id, row_number() OVER (ORDER BY id) AS rn, sum(ii) OVER () AS total FROM e ORDER BY id;

-- name: mixed_window_single_row_partitions
SELECT id, count(*) OVER (PARTITION BY id) AS c, lag(id) OVER (PARTITION BY id ORDER BY id) AS p FROM t
WHERE id <= 10 ORDER BY id;

-- name: mixed_window_partition_by_null
SELECT id, nv, count(*) OVER (PARTITION BY nv) AS c, sum(id) OVER (PARTITION BY nv) AS s FROM t ORDER BY id;

-- name: mixed_window_ntile_small_partitions
SELECT id, k, ntile(3) OVER (PARTITION BY k ORDER BY id) AS tile FROM t ORDER BY id;

-- name: mixed_window_percent_rank_cume_dist
SELECT id, g, percent_rank() OVER (PARTITION BY g ORDER BY k) AS pr, cume_dist() OVER (PARTITION BY g ORDER BY k) AS cd
FROM t ORDER BY id;

-- name: mixed_rollup_with_null_keys
SELECT k % 3 AS m, g, count(*) AS n, grouping(k % 3) AS gm, grouping(g) AS gg FROM t GROUP BY ROLLUP (k % 3, g)
ORDER BY gm, gg, m NULLS FIRST, g NULLS FIRST;

-- name: mixed_cube_with_null_keys
SELECT b, nv IS NULL AS nn, count(*) AS n, sum(id) AS s FROM t GROUP BY CUBE (b, nv IS NULL)
ORDER BY grouping(b), grouping(nv IS NULL), b NULLS FIRST, nn NULLS FIRST;

-- name: mixed_grouping_sets_empty_input
SELECT k, g, count(*) AS n FROM e GROUP BY GROUPING SETS ((k), (g), ()) ORDER BY k NULLS FIRST, g NULLS FIRST;

-- name: mixed_grouping_id_filter_having
SELECT g, k % 2 AS p, grouping_id(g, k % 2) AS gid, count(*) AS n FROM t GROUP BY CUBE (g, k % 2)
HAVING count(*) > 5 ORDER BY gid, g NULLS FIRST, p NULLS FIRST;

-- name: mixed_correlated_scalar_in_select_list
SELECT u.uid, (SELECT count(*) FROM t WHERE t.k = u.k) AS n, (SELECT max(t.id) FROM t WHERE t.g = u.g) AS m
FROM u ORDER BY u.uid;

-- name: mixed_correlated_scalar_under_join
SELECT u.uid, t.id, (SELECT min(x.ii) FROM t x WHERE x.k = t.k) AS lo FROM u JOIN t ON t.id = u.uid * 2
ORDER BY u.uid;

-- name: mixed_correlated_exists_non_equality
SELECT uid FROM u WHERE EXISTS (SELECT 1 FROM t WHERE t.ii > u.uid * 120 AND t.k = u.k) ORDER BY uid;

-- name: mixed_correlated_not_exists_non_equality
SELECT uid FROM u WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.id > u.uid * 3 AND t.g = u.g) ORDER BY uid;

-- name: mixed_correlated_in_with_nulls
SELECT id FROM t WHERE k IN (SELECT u.k FROM u WHERE u.g = t.g) ORDER BY id;

-- name: mixed_correlated_not_in_with_nulls
SELECT id, k NOT IN (SELECT u.k FROM u WHERE u.g = t.g) AS not_in FROM t WHERE id <= 45 ORDER BY id;

-- name: mixed_correlated_scalar_count_zero
SELECT id, (SELECT count(*) FROM u WHERE u.k = t.k AND u.uid > 100) AS none FROM t WHERE id <= 5 ORDER BY id;

-- name: mixed_join_using
SELECT t.id, u.uid, t.k FROM t JOIN u USING (k) WHERE t.id <= 12 ORDER BY t.id, u.uid;

-- name: mixed_left_join_using_two_columns
SELECT t.id, u.uid FROM t LEFT JOIN u USING (k, g) WHERE t.id <= 30 ORDER BY t.id, u.uid NULLS FIRST;

-- name: mixed_full_join_null_keys
SELECT t.id, u.uid FROM (SELECT * FROM t WHERE id <= 20) t FULL JOIN (SELECT * FROM u WHERE uid <= 10) u ON t.k = u.k
ORDER BY t.id NULLS FIRST, u.uid NULLS FIRST;

-- name: mixed_join_on_expression_with_nulls
SELECT t.id, u.uid FROM t JOIN u ON coalesce(t.k, -1) = coalesce(u.k, -1) AND t.id < 20 ORDER BY t.id, u.uid;

-- name: mixed_self_join_non_equality
SELECT a.id, count(b.id) AS smaller FROM t a LEFT JOIN t b ON b.ii < a.ii AND b.k = a.k WHERE a.id <= 20
GROUP BY a.id ORDER BY a.id;

-- name: mixed_anti_join_through_left_join
SELECT u.uid FROM u LEFT JOIN t ON t.id = u.uid * 4 WHERE t.id IS NULL ORDER BY u.uid;

-- name: mixed_string_functions_edges
SELECT id, length(s) AS len, upper(s) AS up, lower(s) AS lo, substring(s, 2, 3) AS sub, reverse(s) AS rev,
  trim(s) AS tr FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_string_padding_and_parts
SELECT id, lpad(g, 5, '*') AS l, rpad(g, 1, '-') AS r, split_part(s, 'a', 2) AS sp, left(s, 0) AS l0, right(s, 2) AS r2
FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_string_search
SELECT id, strpos(s, 'a') AS p, starts_with(s, 'al') AS sw, ends_with(s, '1') AS ew, contains(s, '_') AS c
FROM t WHERE id <= 24 ORDER BY id;

-- name: mixed_like_wildcards_and_case
SELECT id, s FROM t WHERE s LIKE '%a_b%' OR s ILIKE 'zeta%' OR s LIKE '_' ORDER BY id;

-- name: mixed_replace_repeat_concat_nulls
SELECT id, replace(s, 'a', 'AA') AS r, repeat(g, 2) AS rep, concat(s, NULL, g) AS c, s || g AS pipe FROM t
WHERE id <= 20 ORDER BY id;

-- name: mixed_date_parts_at_edges
SELECT id, dt, extract(year FROM dt) AS y, extract(doy FROM dt) AS doy, extract(isodow FROM dt) AS dow,
  extract(week FROM dt) AS w FROM t WHERE id <= 30 ORDER BY id;

-- name: mixed_date_trunc_and_last_day
SELECT id, date_trunc('month', dt) AS m, date_trunc('quarter', dt) AS q, last_day(dt) AS ld FROM t
WHERE id <= 30 ORDER BY id;

-- name: mixed_date_arithmetic_month_ends
SELECT id, dt, CAST(dt + INTERVAL 1 MONTH AS DATE) AS plus_month, CAST(dt - INTERVAL 1 YEAR AS DATE) AS minus_year,
  dt - DATE '2020-01-01' AS days FROM t WHERE id % 12 IN (5, 7) ORDER BY id;

-- name: mixed_date_diff_parts
SELECT id, date_diff('month', DATE '2020-01-31', dt) AS months, date_diff('day', dt, u.ud) AS days FROM t
JOIN u ON t.id = u.uid WHERE t.id <= 20 ORDER BY id;

-- name: mixed_make_date_and_strftime
SELECT id, make_date(2020, 1 + id % 12, 1 + id % 28) AS d, strftime(dt, '%Y/%m/%d') AS f FROM t
WHERE id <= 15 ORDER BY id;

-- name: mixed_math_edges
SELECT id, abs(ii) AS a, sign(ii) AS sg, ii % 7 AS m, -ii % 7 AS nm, round(d, 1) AS r, floor(d) AS f, ceil(d) AS c
FROM t WHERE id <= 30 ORDER BY id;

-- name: mixed_math_greatest_least_nulls
SELECT id, greatest(k, nv, ti) AS g, least(k, nv, ti) AS l FROM t WHERE id <= 30 ORDER BY id;

-- name: mixed_round_decimals_half_away
SELECT id, round(dec, 0) AS r0, round(dec, 1) AS r1, round(sd, 0) AS rs FROM t WHERE id <= 30 ORDER BY id;

-- name: mixed_power_sqrt_exp_ln
SELECT id, power(CAST(k AS DOUBLE), 2) AS p, sqrt(CAST(id AS DOUBLE)) AS q, ln(CAST(id AS DOUBLE)) AS l,
  exp(CAST(k AS DOUBLE) / 10) AS e FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_integer_division_as_double
SELECT id, CAST(id AS DOUBLE) / 7 AS q, CAST(ii AS DOUBLE) / nullif(k, 0) AS r FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_decimal_arithmetic_mixed_scales
SELECT id, dec + sd AS a, dec * sd AS m, dec - dec4 AS s, dec * 2 AS d2 FROM t WHERE id <= 30 ORDER BY id;

-- name: mixed_cast_numbers_to_text_and_back
SELECT id, CAST(ii AS VARCHAR) AS t1, CAST(CAST(ii AS VARCHAR) AS INTEGER) AS back, CAST(dec AS VARCHAR) AS t2,
  CAST(sd AS VARCHAR) AS t3 FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_cast_between_integer_widths
SELECT id, CAST(ti AS BIGINT) AS a, CAST(si AS INTEGER) AS b, CAST(k AS SMALLINT) AS c, CAST(ti AS DOUBLE) AS d
FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_cast_decimal_rounding
SELECT id, CAST(dec AS INTEGER) AS i, CAST(dec4 AS DECIMAL(10,1)) AS d1, CAST(d AS DECIMAL(8,2)) AS dd FROM t
WHERE id <= 30 ORDER BY id;

-- name: mixed_cast_dates_and_timestamps
SELECT id, CAST(dt AS TIMESTAMP) AS ts0, CAST(ts AS DATE) AS d0, CAST(CAST(dt AS VARCHAR) AS DATE) AS back FROM t
WHERE id <= 20 ORDER BY id;

-- name: mixed_cast_booleans
SELECT id, CAST(b AS INTEGER) AS i, CAST(b AS VARCHAR) AS s, CAST(k % 2 AS BOOLEAN) AS kb FROM t WHERE id <= 20
ORDER BY id;

-- name: mixed_try_cast_text
SELECT id, TRY_CAST(s AS INTEGER) AS i, TRY_CAST(g AS DATE) AS d, TRY_CAST(CAST(k AS VARCHAR) AS INTEGER) AS k2
FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_union_with_nulls_and_duplicates
SELECT k FROM t WHERE id <= 10 UNION SELECT k FROM u WHERE uid <= 10 ORDER BY k NULLS FIRST;

-- name: mixed_intersect_except_with_nulls
SELECT k, g FROM t INTERSECT SELECT k, g FROM u EXCEPT SELECT 1, 'g1' ORDER BY k NULLS FIRST, g NULLS FIRST;

-- name: mixed_cte_used_twice
WITH c AS (SELECT k, count(*) AS n FROM t GROUP BY k) SELECT a.k, a.n, b.n AS n_next FROM c a
LEFT JOIN c b ON b.k = a.k + 1 ORDER BY a.k NULLS FIRST;

-- name: mixed_subquery_in_from_with_aggregate_and_window
SELECT g, n, rank() OVER (ORDER BY n DESC) AS r FROM (SELECT g, count(*) AS n FROM t GROUP BY g) x
ORDER BY n DESC, g NULLS FIRST;

-- name: mixed_qualify_per_group_top
SELECT id, k, ii FROM t QUALIFY row_number() OVER (PARTITION BY k ORDER BY ii DESC NULLS LAST, id) = 1
ORDER BY k NULLS FIRST;

-- name: mixed_filter_on_aggregate_with_nulls
SELECT k, count(*) FILTER (WHERE b) AS t_n, count(*) FILTER (WHERE NOT b) AS f_n, count(*) FILTER (WHERE b IS NULL) AS nn
FROM t GROUP BY k ORDER BY k NULLS FIRST;

-- name: mixed_stddev_single_value_groups
SELECT id % 50 AS m, stddev_samp(d) AS s, var_pop(d) AS v FROM t WHERE id <= 60 GROUP BY id % 50 ORDER BY m;

-- name: mixed_between_symmetric_bounds
SELECT id FROM t WHERE ii BETWEEN -100 AND 100 OR ii NOT BETWEEN -4900 AND 4900 ORDER BY id;

-- name: mixed_timestamps_compare_and_extract
SELECT id, extract(hour FROM ts) AS h, extract(minute FROM ts) AS mi, ts > TIMESTAMP '2021-06-01 00:00:00' AS later
FROM t WHERE id <= 20 ORDER BY id;

-- name: mixed_is_distinct_from_strings_in_where
SELECT t.id, u.uid FROM t JOIN u ON t.id = u.uid WHERE t.g IS NOT DISTINCT FROM u.g OR t.g IS DISTINCT FROM 'g1'
ORDER BY t.id;
