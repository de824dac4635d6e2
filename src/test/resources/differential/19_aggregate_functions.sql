-- Aggregates beyond the classic five: bool_and/bool_or, median and quantiles (exact, interpolated
-- the way DuckDB does for each type), string_agg with and without ORDER BY, over NULL-heavy
-- columns, grouped and global, with FILTER and DISTINCT, on empty input. string_agg without ORDER
-- BY joins in no fixed order, so those queries keep to groups whose values are all equal.

-- name: bool_and_or_global
SELECT bool_and(b) AS a, bool_or(b) AS o, bool_and(ii > -6000) AS all_big, bool_or(ii > 4990) AS any_huge FROM t;

-- name: bool_and_or_grouped
SELECT k, bool_and(b) AS a, bool_or(b) AS o, bool_and(d > 0) AS pos, bool_or(s LIKE 'a%') AS has_a
FROM t GROUP BY k ORDER BY k NULLS FIRST;

-- name: bool_and_or_filter_and_empty
SELECT bool_and(b) FILTER (WHERE k > 5) AS a, bool_or(b) FILTER (WHERE k > 100) AS none FROM t;

-- name: bool_and_or_empty_input
SELECT bool_and(b) AS a, bool_or(b) AS o, median(ii) AS m, string_agg(s, ',') AS sa FROM e;

-- name: median_every_numeric_type
SELECT median(ti) AS a, median(si) AS b, median(ii) AS c, median(bi) AS d, median(r) AS e, median(d) AS f,
  median(dec) AS g, median(dec4) AS h, median(sd) AS i FROM t;

-- name: median_dates_timestamps_strings
SELECT median(dt) AS a, median(ts) AS b, median(s) AS c, median(g) AS d FROM t;

-- name: median_grouped
SELECT k, median(ii) AS m_i, median(dec) AS m_dec, median(d) AS m_d, median(dt) AS m_dt FROM t
GROUP BY k ORDER BY k NULLS FIRST;

-- name: quantile_cont_fractions
SELECT quantile_cont(ii, 0) AS q0, quantile_cont(ii, 0.1) AS q10, quantile_cont(ii, 0.25) AS q25,
  quantile_cont(ii, 0.9) AS q90, quantile_cont(ii, 1) AS q100, quantile_cont(d, 0.33) AS qd,
  quantile_cont(dec, 0.37) AS qdec, quantile_cont(sd, 0.61) AS qsd FROM t;

-- name: quantile_cont_temporal
SELECT quantile_cont(dt, 0.3) AS qdt, quantile_cont(ts, 0.7) AS qts FROM t;

-- name: quantile_disc_fractions
SELECT quantile_disc(ii, 0) AS q0, quantile_disc(ii, 0.1) AS q10, quantile_disc(ii, 0.5) AS q50,
  quantile_disc(ii, 1) AS q100, quantile_disc(dec, 0.3) AS qdec, quantile_disc(dt, 0.6) AS qdt,
  quantile_disc(s, 0.4) AS qs, quantile_disc(ts, 0.2) AS qts, quantile(bi, 0.8) AS qbi FROM t;

-- name: quantiles_grouped_with_filter
SELECT g, quantile_cont(d, 0.75) FILTER (WHERE k < 7) AS q, quantile_disc(s, 0.5) FILTER (WHERE b) AS qs,
  median(si) FILTER (WHERE id % 2 = 0) AS even
FROM t GROUP BY g ORDER BY g NULLS FIRST;

-- name: median_distinct
SELECT median(DISTINCT k) AS a, median(k) AS b, quantile_disc(DISTINCT g, 0.5) AS c FROM t;

-- name: median_of_expressions
SELECT k % 3 AS m, median(ii * 2 + 1) AS a, median(CAST(dec AS DOUBLE) / 4) AS b, median(length(s)) AS c
FROM t GROUP BY k % 3 ORDER BY m NULLS FIRST;

-- name: string_agg_ordered
SELECT string_agg(s, ',' ORDER BY s) AS asc_s, string_agg(s, '|' ORDER BY s DESC) AS desc_s FROM t;

-- name: string_agg_ordered_grouped
SELECT k, string_agg(g, ', ' ORDER BY g) AS gs, string_agg(s ORDER BY s DESC) AS ss
FROM t GROUP BY k ORDER BY k NULLS FIRST;

-- name: string_agg_of_numbers_and_dates
SELECT k, string_agg(ii, ';' ORDER BY ii) AS is_, string_agg(dt, ' ' ORDER BY dt) AS dts,
  string_agg(dec, '/' ORDER BY dec DESC) AS decs
FROM t GROUP BY k ORDER BY k NULLS FIRST;

-- name: string_agg_distinct_ordered
SELECT string_agg(DISTINCT g, '+' ORDER BY g) AS a, string_agg(DISTINCT k, '' ORDER BY k DESC) AS b FROM t;

-- name: string_agg_with_filter
SELECT g, string_agg(s, ',' ORDER BY s) FILTER (WHERE k > 4) AS big_k FROM t GROUP BY g ORDER BY g NULLS FIRST;

-- name: string_agg_single_valued_groups
SELECT id, string_agg(s, '-') AS one, string_agg(g) AS g1, listagg(s, '/') AS la FROM t
GROUP BY id ORDER BY id;

-- name: string_agg_in_having_and_order
SELECT g, string_agg(CAST(k AS VARCHAR), ',' ORDER BY CAST(k AS VARCHAR)) AS ks FROM t
GROUP BY g HAVING bool_or(b) ORDER BY g NULLS FIRST;

-- name: new_aggregates_with_joins
SELECT t.g, median(u.amount) AS m, string_agg(u.name, ',' ORDER BY u.name) AS names, bool_and(u.amount > 0) AS pos
FROM t JOIN u ON t.k = u.k GROUP BY t.g ORDER BY t.g NULLS FIRST;

-- name: new_aggregates_in_scalar_subquery
SELECT id, (SELECT median(amount) FROM u WHERE u.k = t.k) AS med_amount,
  (SELECT bool_or(amount > 50) FROM u WHERE u.k = t.k) AS any_big
FROM t ORDER BY id;

-- name: new_aggregates_with_rollup
SELECT g, k % 2 AS parity, median(ii) AS m, bool_or(b) AS o FROM t
GROUP BY ROLLUP (g, k % 2) ORDER BY grouping(g, k % 2), g NULLS FIRST, parity NULLS FIRST;
