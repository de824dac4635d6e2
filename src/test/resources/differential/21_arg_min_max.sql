-- arg_min/arg_max (and their aliases argmin/argmax, min_by/max_by): the value of the first argument
-- on the row where the second is smallest/largest. Rows where either argument is NULL are skipped.
-- Which row wins among equal second arguments is up to the engine, so every query here compares by
-- a value that is unique among the rows it looks at (id, ii, bi, dec, d, uid, amount).

-- name: arg_min_max_global
SELECT arg_min(s, ii) AS a, arg_max(s, ii) AS b, arg_min(id, dec) AS c, arg_max(id, dec) AS d FROM t;

-- name: arg_min_max_aliases
SELECT argmin(ii, id) AS a, argmax(ii, id) AS b, min_by(dt, bi) AS c, max_by(dt, bi) AS d FROM t;

-- name: arg_min_max_null_argument_rows_skipped
SELECT arg_min(nv, id) AS a, arg_max(nv, id) AS b, arg_min(ti, id) AS c, arg_max(b, id) AS d FROM t;

-- name: arg_min_max_null_compared_rows_skipped
SELECT arg_min(id, ii) AS a, arg_max(id, ii) AS b, arg_min(id, dec4) AS c, arg_max(id, d) AS d FROM t;

-- name: arg_min_max_grouped
SELECT k, arg_min(id, ii) AS a, arg_max(s, ii) AS b, arg_min(dec, bi) AS c, arg_max(dt, d) AS e
FROM t GROUP BY k ORDER BY k NULLS FIRST;

-- name: arg_min_max_grouped_by_string
SELECT g, arg_min(ts, id) AS first_ts, arg_max(ts, id) AS last_ts, arg_min(sd, dec) AS sd_at_min_dec
FROM t GROUP BY g ORDER BY g NULLS FIRST;

-- name: arg_min_max_types_of_the_result
SELECT arg_min(ti, id) AS ti, arg_min(si, id) AS si, arg_min(bi, id) AS bi, arg_min(r, id) AS r, arg_min(d, id) AS d,
  arg_min(dec, id) AS dec, arg_min(dec4, id) AS dec4, arg_min(dt, id) AS dt, arg_min(ts, id) AS ts,
  arg_min(b, id) AS b, arg_min(s, id) AS s FROM t WHERE id > 30;

-- name: arg_min_max_compared_by_strings_dates_decimals
SELECT arg_min(id, 'x' || CAST(id AS VARCHAR)) AS by_text, arg_max(id, 'x' || CAST(id AS VARCHAR)) AS by_text_max,
  arg_min(id, ts) AS by_ts, arg_max(id, ts) AS by_ts_max, arg_min(uid, amount) AS by_dec FROM t, u WHERE id = uid;

-- name: arg_min_max_compared_by_double
SELECT arg_min(id, d) AS a, arg_max(id, d) AS b, arg_min(s, d) AS c, arg_max(dec, -d) AS e FROM t;

-- name: arg_min_max_with_filter
SELECT arg_min(id, ii) FILTER (WHERE k > 4) AS a, arg_max(id, ii) FILTER (WHERE s LIKE 'a%') AS b,
  arg_min(id, ii) FILTER (WHERE k > 100) AS none FROM t;

-- name: arg_min_max_grouped_with_filter
SELECT k, arg_min(s, bi) FILTER (WHERE b) AS a, arg_max(s, bi) FILTER (WHERE NOT b) AS o, count(*) AS n
FROM t GROUP BY k ORDER BY k NULLS FIRST;

-- name: arg_min_max_empty_input
SELECT arg_min(id, ii) AS a, arg_max(s, ii) AS b, min_by(dt, dec) AS c FROM e;

-- name: arg_min_max_empty_groups
SELECT k, arg_min(id, ii) AS a FROM e GROUP BY k ORDER BY k NULLS FIRST;

-- name: arg_min_max_all_rows_skipped
SELECT k, arg_min(nv, ii) AS a, arg_max(nv, ii) AS b FROM t WHERE id % 5 = 0 GROUP BY k ORDER BY k NULLS FIRST;

-- name: arg_min_max_of_expressions
SELECT arg_min(upper(s) || '!', ii * 2 + 1) AS a, arg_max(id * 10, abs(ii)) AS b, arg_min(CAST(dec AS DOUBLE), dec) AS c
FROM t;

-- name: arg_min_max_with_other_aggregates
SELECT k % 3 AS m, count(*) AS n, min(ii) AS lo, arg_min(id, ii) AS at_lo, max(ii) AS hi, arg_max(id, ii) AS at_hi,
  sum(ii) AS total FROM t GROUP BY k % 3 ORDER BY m NULLS FIRST;

-- name: arg_min_max_distinct
SELECT arg_min(DISTINCT s, ii) AS a, arg_max(DISTINCT k, bi) AS b FROM t;

-- name: arg_min_max_in_having_and_order
SELECT g, arg_max(id, ii) AS at_max FROM t GROUP BY g HAVING arg_min(id, ii) > 3
ORDER BY arg_max(id, ii) NULLS FIRST, g NULLS FIRST;

-- name: arg_min_max_null_literal_arguments
SELECT arg_min(NULL, id) AS a, arg_max(id, NULL) AS b FROM t;

-- name: arg_min_max_grouping_sets
SELECT k % 2 AS p, g, arg_min(id, ii) AS a FROM t GROUP BY ROLLUP (k % 2, g)
ORDER BY p NULLS FIRST, g NULLS FIRST, a NULLS FIRST;

-- name: arg_min_max_in_subquery
SELECT uid, (SELECT arg_max(s, ii) FROM t WHERE t.k = u.k) AS best FROM u ORDER BY uid;

-- name: arg_min_max_over_join
SELECT u.g, arg_min(t.id, t.ii) AS a, arg_max(u.name, u.amount) AS b FROM t JOIN u ON t.k = u.k
GROUP BY u.g ORDER BY u.g NULLS FIRST;
