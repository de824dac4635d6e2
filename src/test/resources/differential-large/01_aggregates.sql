-- Aggregation over big (2,000,000 rows, 20 row groups): global, low and high cardinality GROUP BY,
-- several keys, skewed keys, count(DISTINCT), statistics, FILTER (WHERE). High-cardinality answers
-- are folded into one row (count, sums of the groups' values) so comparisons stay cheap.

-- name: big_counts_every_column
-- threads: 1 2 4
SELECT count(*) AS n, count(hot) AS c_hot, count(hk) AS c_hk, count(g) AS c_g, count(s) AS c_s, count(ls) AS c_ls,
       count(dec) AS c_dec, count(dec4) AS c_dec4, count(d) AS c_d, count(dt) AS c_dt, count(sparse) AS c_sparse,
       count(rare) AS c_rare, count(tailv) AS c_tailv, count(b) AS c_b
FROM big;

-- name: big_sums_every_numeric_type
SELECT sum(id) AS s_id, sum(hot) AS s_hot, sum(hk) AS s_hk, sum(k7) AS s_k7, sum(dec) AS s_dec, sum(dec4) AS s_dec4,
       sum(d) AS s_d, sum(sparse) AS s_sparse, sum(rare) AS s_rare, sum(tailv) AS s_tailv
FROM big;

-- name: big_min_max_every_type
SELECT min(id), max(id), min(hot), max(hot), min(hk), max(hk), min(g), max(g), min(s), max(s), min(ls), max(ls),
       min(dec), max(dec), min(dec4), max(dec4), min(d), max(d), min(dt), max(dt), min(sparse), max(sparse),
       min(rare), max(rare), min(tailv), max(tailv)
FROM big;

-- name: big_stddev_variance
SELECT stddev_samp(d) AS sd_d, var_samp(d) AS v_d, stddev(sparse) AS sd_sparse, variance(sparse) AS v_sparse,
       stddev_samp(hk) AS sd_hk, var_samp(hot) AS v_hot, stddev_samp(dec) AS sd_dec, var_samp(tailv) AS v_tailv
FROM big;

-- name: big_filter_clauses_global
SELECT count(*) FILTER (WHERE b) AS n_true, count(*) FILTER (WHERE NOT b) AS n_false,
       sum(dec) FILTER (WHERE hot < 3) AS dec_hot, sum(dec) FILTER (WHERE hot >= 3) AS dec_tail,
       avg(d) FILTER (WHERE g = 'grp2') AS d_grp2, min(dt) FILTER (WHERE k7 = 6) AS min_dt6,
       max(ls) FILTER (WHERE s LIKE 'ab%') AS max_ls_ab, count(DISTINCT hk) FILTER (WHERE k7 = 0) AS dhk0
FROM big;

-- name: big_group_by_low_cardinality_string
-- threads: 1 2 4
SELECT g, count(*) AS n, count(hk) AS n_hk, sum(dec) AS s_dec, sum(dec4) AS s_dec4, avg(d) AS a_d,
       min(dt) AS min_dt, max(dt) AS max_dt, min(s) AS min_s, max(ls) AS max_ls, sum(sparse) AS s_sparse
FROM big GROUP BY g ORDER BY g NULLS FIRST;

-- name: big_group_by_two_keys
SELECT k7, g, count(*) AS n, sum(hk) AS s_hk, min(dec) AS min_dec, max(dec4) AS max_dec4, sum(d) AS s_d
FROM big GROUP BY k7, g ORDER BY k7, g NULLS FIRST;

-- name: big_group_by_three_keys_with_boolean
SELECT b, k7, g, count(*) AS n, sum(id) AS s_id, count(dt) AS n_dt
FROM big GROUP BY b, k7, g ORDER BY b NULLS FIRST, k7, g NULLS FIRST;

-- name: big_group_by_low_cardinality_statistics
SELECT k7, stddev_samp(d) AS sd_d, var_samp(dec) AS v_dec, stddev(sparse) AS sd_sparse, variance(hk) AS v_hk,
       avg(dec4) AS a_dec4
FROM big GROUP BY k7 ORDER BY k7;

-- name: big_group_by_filter_clauses
SELECT g, count(*) FILTER (WHERE b) AS n_true, sum(hk) FILTER (WHERE hot = 0) AS s_hot0,
       max(dec) FILTER (WHERE dt < DATE '2010-01-01') AS max_dec_early, count(ls) FILTER (WHERE k7 IN (1, 3)) AS n_ls13,
       avg(d) FILTER (WHERE sparse > 0) AS a_d_pos
FROM big GROUP BY g ORDER BY g NULLS FIRST;

-- name: big_skewed_group_by_top_keys
-- threads: 1 2 4
SELECT hot, count(*) AS n, sum(dec) AS s_dec, min(id) AS min_id, max(id) AS max_id
FROM big GROUP BY hot ORDER BY n DESC, hot NULLS FIRST LIMIT 12;

-- name: big_skewed_group_by_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(CAST(hot AS BIGINT) * n) AS weighted, sum(s_dec) AS s_dec,
       sum(min_id) AS s_min_id, sum(max_id) AS s_max_id, count(sd) AS n_sd, sum(sd) AS s_sd, max(n) AS max_n
FROM (SELECT hot, count(*) AS n, sum(dec) AS s_dec, min(id) AS min_id, max(id) AS max_id, stddev_samp(d) AS sd
      FROM big GROUP BY hot) x;

-- name: big_skewed_group_by_having
SELECT hot, count(*) AS n, sum(d) AS s_d FROM big GROUP BY hot HAVING count(*) > 30 ORDER BY hot NULLS FIRST;

-- name: big_high_cardinality_group_by_folded
-- threads: 1 2 4
SELECT count(*) AS groups_, sum(n) AS n, sum(hk * n) AS weighted, sum(s_dec) AS s_dec, sum(min_id) AS s_min_id,
       sum(max_id) AS s_max_id, sum(n_ls) AS n_ls, max(n) AS max_n, min(min_dt) AS min_dt, max(max_dt) AS max_dt
FROM (SELECT hk, count(*) AS n, sum(dec) AS s_dec, min(id) AS min_id, max(id) AS max_id, count(ls) AS n_ls,
             min(dt) AS min_dt, max(dt) AS max_dt
      FROM big GROUP BY hk) x;

-- name: big_high_cardinality_group_by_top
SELECT hk, count(*) AS n, sum(dec) AS s_dec, min(s) AS min_s, max(dt) AS max_dt
FROM big GROUP BY hk ORDER BY s_dec DESC NULLS LAST, hk NULLS FIRST LIMIT 10;

-- name: big_high_cardinality_two_keys_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(hk * 7 + k7) AS key_sum, sum(s_d) AS s_d, max(n) AS max_n
FROM (SELECT hk, k7, count(*) AS n, sum(d) AS s_d FROM big GROUP BY hk, k7) x;

-- name: big_high_cardinality_having
SELECT count(*) AS groups_, sum(hk) AS s_hk, sum(n) AS n
FROM (SELECT hk, count(*) AS n FROM big GROUP BY hk HAVING count(*) = 1 OR sum(dec) > 40000) x;

-- name: big_high_cardinality_statistics_folded
SELECT count(*) AS groups_, count(sd) AS n_sd, sum(sd) AS s_sd, sum(v) AS s_v, sum(a) AS s_a
FROM (SELECT hk, stddev_samp(d) AS sd, var_samp(sparse) AS v, avg(hot) AS a FROM big GROUP BY hk) x;

-- name: big_group_by_long_strings_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(s_id) AS s_id, max(ls) AS max_ls, min(ls) AS min_ls, sum(length(ls)) AS len
FROM (SELECT ls, count(*) AS n, sum(id) AS s_id FROM big GROUP BY ls) x;

-- name: big_group_by_long_strings_top
SELECT ls, count(*) AS n, sum(id) AS s_id, min(dec) AS min_dec
FROM big GROUP BY ls ORDER BY n DESC, ls NULLS FIRST LIMIT 10;

-- name: big_group_by_short_strings_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(s_hk) AS s_hk, min(s) AS min_s, max(s) AS max_s, sum(length(s)) AS len
FROM (SELECT s, count(*) AS n, sum(hk) AS s_hk FROM big GROUP BY s) x;

-- name: big_group_by_string_and_int_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(x) AS x, min(s) AS min_s, max(s) AS max_s
FROM (SELECT s, hot, count(*) AS n, sum(CAST(hot AS BIGINT) * k7) AS x FROM big GROUP BY s, hot) x;

-- name: big_group_by_dates
SELECT extract(year FROM dt) AS y, count(*) AS n, min(dt) AS min_dt, max(dt) AS max_dt, sum(dec) AS s_dec
FROM big GROUP BY extract(year FROM dt) ORDER BY y NULLS FIRST;

-- name: big_group_by_date_folded
SELECT count(*) AS groups_, sum(n) AS n, min(dt) AS min_dt, max(dt) AS max_dt, sum(s_hk) AS s_hk
FROM (SELECT dt, count(*) AS n, sum(hk) AS s_hk FROM big GROUP BY dt) x;

-- name: big_group_by_expression
SELECT hk % 1000 AS bucket, count(*) AS n, sum(dec) AS s_dec
FROM big WHERE hk IS NOT NULL GROUP BY hk % 1000 ORDER BY n DESC, bucket LIMIT 10;

-- name: big_count_distinct_global
SELECT count(DISTINCT hk) AS d_hk, count(DISTINCT ls) AS d_ls, count(DISTINCT dt) AS d_dt, sum(DISTINCT hot) AS sd_hot,
       avg(DISTINCT k7) AS ad_k7
FROM big;

-- name: big_count_distinct_per_low_cardinality_group
SELECT g, count(DISTINCT hk) AS d_hk, count(DISTINCT s) AS d_s, count(*) AS n
FROM big GROUP BY g ORDER BY g NULLS FIRST;

-- name: big_count_distinct_per_skewed_group_folded
SELECT count(*) AS groups_, sum(d_g) AS d_g, sum(CAST(hot AS BIGINT) * d_hk) AS weighted
FROM (SELECT hot, count(DISTINCT g) AS d_g, count(DISTINCT hk) AS d_hk FROM big GROUP BY hot) x;

-- name: big_aggregates_of_mostly_null_columns
SELECT g, count(tailv) AS n_tailv, sum(tailv) AS s_tailv, min(tailv) AS min_tailv, max(rare) AS max_rare,
       avg(rare) AS a_rare, stddev_samp(tailv) AS sd_tailv
FROM big GROUP BY g ORDER BY g NULLS FIRST;

-- name: big_aggregates_filtered_to_last_row_group
SELECT count(*) AS n, sum(tailv) AS s, min(hk) AS min_hk, max(ls) AS max_ls, count(DISTINCT hot) AS d_hot
FROM big WHERE id >= 1950000;

-- name: big_aggregates_filtered_to_nothing
SELECT count(*) AS n, sum(dec) AS s, min(ls) AS m, count(DISTINCT hk) AS d FROM big WHERE id < 0;

-- name: big_group_by_selective_filter
SELECT k7, count(*) AS n, sum(hk) AS s_hk, max(dec) AS max_dec
FROM big WHERE hot = 1 AND dec > 0 AND s LIKE 'Cd%' GROUP BY k7 ORDER BY k7;
