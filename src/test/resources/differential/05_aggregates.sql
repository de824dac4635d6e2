-- Aggregates: global and grouped, NULL handling, DISTINCT, FILTER, statistics, empty input.

-- name: count_star_and_count_column
SELECT count(*) AS n, count(ii) AS n_ii, count(s) AS n_s, count(nv) AS n_nv FROM t;

-- name: sum_every_numeric_type
SELECT sum(ti) AS a, sum(si) AS c, sum(ii) AS e, sum(bi) AS f, sum(r) AS g, sum(d) AS h, sum(dec) AS i, sum(dec4) AS j, sum(sd) AS k FROM t;

-- name: avg_integers
SELECT avg(ii) AS a, avg(ti) AS c, avg(bi) AS e FROM t;

-- name: avg_decimals
SELECT avg(dec) AS a, avg(dec4) AS c, avg(sd) AS e FROM t;

-- name: avg_doubles
SELECT avg(d) AS a, avg(r) AS c FROM t;

-- name: min_max_numbers
SELECT min(ti), max(ti), min(ii), max(ii), min(bi), max(bi), min(d), max(d), min(dec), max(dec) FROM t;

-- name: min_max_strings_dates_timestamps
SELECT min(s), max(s), min(dt), max(dt), min(ts), max(ts) FROM t;

-- name: count_distinct
SELECT count(DISTINCT k) AS a, count(DISTINCT g) AS c, count(DISTINCT dt) AS e FROM t;

-- name: sum_distinct
SELECT sum(DISTINCT k) AS a FROM t;

-- name: aggregate_of_expression
SELECT sum(dec * k) AS a, sum(ii + si) AS c, max(length(s)) AS e FROM t;

-- name: expression_of_aggregates
SELECT sum(ii) - min(ii) AS a, max(dec) * 2 AS c, count(*) + 1 AS e FROM t;

-- name: ratio_of_sums_decimal
SELECT sum(CASE WHEN k > 4 THEN dec ELSE 0 END) / sum(dec) AS share FROM t;

-- name: percentage_like_tpch_q14
SELECT 100.00 * sum(CASE WHEN g LIKE 'g1%' THEN dec ELSE 0 END) / sum(dec) AS pct FROM t WHERE dec > 0;

-- name: stddev_var_samp_double
SELECT stddev_samp(d) AS a, var_samp(d) AS c FROM t;

-- name: stddev_variance_aliases
SELECT stddev(ii) AS a, variance(ii) AS c FROM t;

-- name: stddev_of_decimal
SELECT stddev_samp(dec) AS a, var_samp(dec4) AS c FROM t;

-- name: stddev_grouped_single_row_is_null
SELECT id, stddev_samp(d) AS a, var_samp(ii) AS c FROM t WHERE id < 10 GROUP BY id;

-- name: filter_clause_count_and_sum
SELECT count(*) FILTER (WHERE b) AS n_true, sum(ii) FILTER (WHERE k > 5) AS s5, avg(dec) FILTER (WHERE g = 'g2') AS a2 FROM t;

-- name: filter_clause_grouped
SELECT g, count(*) FILTER (WHERE ii > 0) AS pos, max(d) FILTER (WHERE k IS NULL) AS m FROM t GROUP BY g;

-- name: filter_clause_matching_nothing
SELECT count(*) FILTER (WHERE id > 1000) AS n, sum(ii) FILTER (WHERE id > 1000) AS s FROM t;

-- name: aggregates_over_all_null_column
SELECT count(nv) AS n, sum(nv) AS s, avg(nv) AS a, min(nv) AS mi, max(nv) AS ma FROM t WHERE g <> 'g1';

-- name: aggregates_over_all_null_groups
SELECT g, count(nv) AS n, sum(nv) AS s, avg(nv) AS a, min(nv) AS mi, max(nv) AS ma, stddev_samp(nv) AS sd FROM t GROUP BY g;

-- name: aggregates_over_filtered_to_nothing
SELECT count(*) AS n, sum(ii) AS s, avg(dec) AS a, min(s) AS mi, max(dt) AS ma, count(DISTINCT k) AS dk FROM t WHERE id < 0;

-- name: count_of_boolean_and_case
SELECT sum(CASE WHEN b THEN 1 ELSE 0 END) AS yes, sum(CASE WHEN NOT b THEN 1 ELSE 0 END) AS no, count(b) AS known FROM t;

-- name: count_distinct_per_group
SELECT k, count(DISTINCT g) AS groups_, count(DISTINCT s) AS strings FROM t GROUP BY k;

-- name: aggregate_with_case_inside
SELECT g, sum(CASE WHEN ii > 0 THEN ii END) AS pos_sum, min(CASE WHEN b THEN dt END) AS first_true FROM t GROUP BY g;

-- name: grouped_by_nullable_int_key_all_batchable_states
SELECT k, count(*) AS n, count(nv) AS c, sum(ii) AS s, avg(dec) AS a, min(d) AS mi, max(dec4) AS ma, min(dt) AS first, sum(ii) FILTER (WHERE b) AS sb FROM t GROUP BY k;

-- name: grouped_column_read_directly_and_under_two_filters
SELECT k, sum(ii) AS s, sum(ii) FILTER (WHERE b) AS sb, min(ii) FILTER (WHERE d > 0) AS mi, max(ii) FILTER (WHERE g = 'g2') AS ma FROM t GROUP BY k;

-- name: grouped_by_two_keys_with_filters_and_expressions
SELECT g, k, sum(dec * 2) FILTER (WHERE ii > 0) AS s, avg(d) AS a, count(*) FILTER (WHERE b IS NULL) AS nb, max(ii - si) AS m FROM t GROUP BY g, k;

-- name: grouped_by_boolean_key
SELECT b, count(*) AS n, sum(ii) AS s, min(dt) AS first FROM t GROUP BY b;

-- name: grouped_by_date_key
SELECT dt, count(*) AS n, sum(bi) AS s FROM t GROUP BY dt;

-- name: grouped_by_decimal_key_with_filtered_rows
SELECT sd, count(*) AS n, sum(ti) AS s, max(r) AS mr FROM t WHERE id % 3 <> 0 GROUP BY sd;
