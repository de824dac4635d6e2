-- Window functions: ranking, lag/lead, first/last/nth_value and aggregates over ROWS and RANGE
-- frames, with NULLs in partition and order keys, ties (peers), empty and one-row partitions, and
-- frames that reach past a partition's edges. Order-sensitive functions order by a unique key
-- (id) last, so the answers are unique.

-- name: win_row_number_whole_table
SELECT id, row_number() OVER (ORDER BY id) AS rn FROM t ORDER BY id;

-- name: win_row_number_by_group
SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY id) AS rn FROM t ORDER BY id;

-- name: win_row_number_desc_by_nullable_key
SELECT id, k, row_number() OVER (PARTITION BY k ORDER BY id DESC) AS rn FROM t ORDER BY id;

-- name: win_rank_ties_nulls_last
SELECT id, g, k, rank() OVER (PARTITION BY g ORDER BY k NULLS LAST) AS r FROM t ORDER BY id;

-- name: win_rank_ties_nulls_first
SELECT id, g, k, rank() OVER (PARTITION BY g ORDER BY k NULLS FIRST) AS r FROM t ORDER BY id;

-- name: win_dense_rank_desc
SELECT id, k, dense_rank() OVER (ORDER BY k DESC NULLS LAST) AS dr FROM t ORDER BY id;

-- name: win_dense_rank_by_group
SELECT id, g, b, dense_rank() OVER (PARTITION BY g ORDER BY b NULLS FIRST) AS dr FROM t ORDER BY id;

-- name: win_percent_rank
SELECT id, percent_rank() OVER (PARTITION BY g ORDER BY ii NULLS LAST) AS pr FROM t ORDER BY id;

-- name: win_cume_dist
SELECT id, cume_dist() OVER (PARTITION BY k ORDER BY g NULLS FIRST) AS cd FROM t ORDER BY id;

-- name: win_ranking_without_order
SELECT id, rank() OVER (PARTITION BY g) AS r, dense_rank() OVER (PARTITION BY g) AS dr,
  percent_rank() OVER (PARTITION BY g) AS pr, cume_dist() OVER (PARTITION BY g) AS cd FROM t ORDER BY id;

-- name: win_ranking_over_empty_window
SELECT id, rank() OVER () AS r, percent_rank() OVER () AS pr, cume_dist() OVER () AS cd, count(*) OVER () AS n
FROM t ORDER BY id;

-- name: win_ntile_4
SELECT id, ntile(4) OVER (ORDER BY id) AS q FROM t ORDER BY id;

-- name: win_ntile_3_by_group
SELECT id, g, ntile(3) OVER (PARTITION BY g ORDER BY id) AS q FROM t ORDER BY id;

-- name: win_ntile_more_buckets_than_rows
SELECT id, ntile(7) OVER (PARTITION BY k ORDER BY id DESC) AS q FROM t WHERE id < 40 ORDER BY id;

-- name: win_ntile_one
SELECT id, ntile(1) OVER (PARTITION BY g ORDER BY id) AS q FROM t ORDER BY id;

-- name: win_lag_default_offset
SELECT id, ii, lag(ii) OVER (ORDER BY id) AS prev FROM t ORDER BY id;

-- name: win_lead_by_group
SELECT id, g, lead(ii) OVER (PARTITION BY g ORDER BY id) AS nxt FROM t ORDER BY id;

-- name: win_lag_decimal_offset_2
SELECT id, lag(dec, 2) OVER (PARTITION BY g ORDER BY id) AS prev2 FROM t ORDER BY id;

-- name: win_lead_string_with_default
SELECT id, lead(s, 3, 'none') OVER (PARTITION BY k ORDER BY id) AS s3 FROM t ORDER BY id;

-- name: win_lag_date_with_default
SELECT id, lag(dt, 1, DATE '2000-01-01') OVER (ORDER BY id) AS prev_dt FROM t ORDER BY id;

-- name: win_lag_offset_zero
SELECT id, ii, lag(ii, 0) OVER (ORDER BY id) AS same FROM t ORDER BY id;

-- name: win_lead_decimal_integer_default
SELECT id, lead(dec, 1, 0) OVER (PARTITION BY g ORDER BY id) AS nxt FROM t ORDER BY id;

-- name: win_lag_beyond_partition
SELECT id, lag(id, 30) OVER (PARTITION BY g ORDER BY id) AS far, lead(id, 30, -1) OVER (PARTITION BY g ORDER BY id) AS far2
FROM t ORDER BY id;

-- name: win_lag_ignore_nulls
SELECT id, ii, lag(ii IGNORE NULLS) OVER (ORDER BY id) AS prev FROM t ORDER BY id;

-- name: win_lead_ignore_nulls_offset_2
SELECT id, nv, lead(nv, 2 IGNORE NULLS) OVER (PARTITION BY g ORDER BY id) AS nxt FROM t ORDER BY id;

-- name: win_lag_timestamp
SELECT id, lag(ts) OVER (PARTITION BY g ORDER BY id) AS prev_ts FROM t ORDER BY id;

-- name: win_lag_boolean
SELECT id, lag(b, 2) OVER (ORDER BY id) AS prev_b FROM t ORDER BY id;

-- name: win_first_value_running
SELECT id, first_value(s) OVER (PARTITION BY g ORDER BY id) AS fs FROM t ORDER BY id;

-- name: win_last_value_running_is_current
SELECT id, last_value(s) OVER (PARTITION BY g ORDER BY id) AS ls FROM t ORDER BY id;

-- name: win_last_value_whole_partition
SELECT id, last_value(ii) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lv
FROM t ORDER BY id;

-- name: win_last_value_range_peers
SELECT id, k, last_value(k) OVER (ORDER BY k NULLS FIRST) AS lk FROM t ORDER BY id;

-- name: win_nth_value_3
SELECT id, nth_value(ii, 3) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n3
FROM t ORDER BY id;

-- name: win_nth_value_sliding
SELECT id, nth_value(s, 2) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS n2 FROM t ORDER BY id;

-- name: win_nth_value_beyond_frame
SELECT id, nth_value(id, 5) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS n5
FROM t ORDER BY id;

-- name: win_first_value_ignore_nulls
SELECT id, first_value(ii IGNORE NULLS) OVER (PARTITION BY g ORDER BY id) AS f FROM t ORDER BY id;

-- name: win_last_value_ignore_nulls
SELECT id, last_value(nv IGNORE NULLS) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l
FROM t ORDER BY id;

-- name: win_nth_value_ignore_nulls
SELECT id, nth_value(ii, 2 IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS n2
FROM t ORDER BY id;

-- name: win_first_value_date_nulls_first
SELECT id, first_value(dt) OVER (PARTITION BY g ORDER BY dt NULLS FIRST, id) AS f FROM t ORDER BY id;

-- name: win_first_value_following_frame
SELECT id, first_value(id) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS f
FROM t ORDER BY id;

-- name: win_sum_whole_table
SELECT id, sum(ii) OVER () AS total FROM t ORDER BY id;

-- name: win_sum_by_group
SELECT id, g, sum(ii) OVER (PARTITION BY g) AS gs FROM t ORDER BY id;

-- name: win_sum_running
SELECT id, sum(ii) OVER (PARTITION BY g ORDER BY id) AS running FROM t ORDER BY id;

-- name: win_sum_running_peers
SELECT id, k, sum(ii) OVER (PARTITION BY g ORDER BY k NULLS LAST) AS running FROM t ORDER BY id;

-- name: win_count_star_running_peers
SELECT id, count(*) OVER (PARTITION BY g ORDER BY k NULLS FIRST) AS c FROM t ORDER BY id;

-- name: win_count_column_by_key
SELECT id, count(ii) OVER (PARTITION BY k) AS c, count(nv) OVER (PARTITION BY k) AS cn FROM t ORDER BY id;

-- name: win_avg_sliding_rows
SELECT id, avg(ii) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS a FROM t ORDER BY id;

-- name: win_sum_decimal_sliding
SELECT id, sum(dec) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS s FROM t ORDER BY id;

-- name: win_avg_decimal_sliding
SELECT id, avg(dec) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS a FROM t ORDER BY id;

-- name: win_sum_decimal4_to_following
SELECT id, sum(dec4) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) AS s FROM t ORDER BY id;

-- name: win_avg_small_decimal
SELECT id, avg(sd) OVER (PARTITION BY k ORDER BY id) AS a, sum(sd) OVER (PARTITION BY k) AS s FROM t ORDER BY id;

-- name: win_sum_tinyint_smallint
SELECT id, sum(ti) OVER (ORDER BY id ROWS 5 PRECEDING) AS st, sum(si) OVER (PARTITION BY g) AS ss FROM t ORDER BY id;

-- name: win_sum_bigint_running
SELECT id, sum(bi) OVER (ORDER BY id) AS s FROM t ORDER BY id;

-- name: win_min_string_sliding
SELECT id, min(s) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS m FROM t ORDER BY id;

-- name: win_max_date_preceding_only
SELECT id, max(dt) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 5 PRECEDING AND 1 PRECEDING) AS m FROM t ORDER BY id;

-- name: win_min_int_current_to_following
SELECT id, min(ii) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) AS m FROM t ORDER BY id;

-- name: win_max_double_lagging_frame
SELECT id, max(d) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 PRECEDING) AS m FROM t ORDER BY id;

-- name: win_min_max_boolean
SELECT id, min(b) OVER (PARTITION BY g) AS mi, max(b) OVER (PARTITION BY g) AS ma FROM t ORDER BY id;

-- name: win_min_max_timestamp
SELECT id, min(ts) OVER (PARTITION BY k ORDER BY id) AS mi, max(ts) OVER (PARTITION BY k) AS ma FROM t ORDER BY id;

-- name: win_sum_double_sliding
SELECT id, sum(d) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS s FROM t ORDER BY id;

-- name: win_avg_double_running
SELECT id, avg(d) OVER (PARTITION BY g ORDER BY id) AS a, avg(r) OVER (PARTITION BY g) AS ar FROM t ORDER BY id;

-- name: win_stddev_samp_sliding
SELECT id, stddev_samp(d) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS sd FROM t ORDER BY id;

-- name: win_var_pop_by_group
SELECT id, var_pop(ii) OVER (PARTITION BY g) AS v FROM t ORDER BY id;

-- name: win_variance_and_stddev_pop_whole
SELECT id, var_samp(dec) OVER () AS v, stddev_pop(si) OVER () AS sp FROM t ORDER BY id;

-- name: win_sum_all_null_partition
SELECT id, g, sum(nv) OVER (PARTITION BY g) AS s, avg(nv) OVER (PARTITION BY g) AS a, min(nv) OVER (PARTITION BY g) AS m
FROM t ORDER BY id;

-- name: win_range_int_offsets_null_keys
SELECT id, k, sum(ii) OVER (ORDER BY k NULLS LAST RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS s FROM t ORDER BY id;

-- name: win_range_int_offsets_nulls_first_by_group
SELECT id, k, count(*) OVER (PARTITION BY g ORDER BY k NULLS FIRST RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS c
FROM t ORDER BY id;

-- name: win_range_wide_int_offsets
SELECT id, ii, count(*) OVER (ORDER BY ii NULLS LAST RANGE BETWEEN 1000 PRECEDING AND 1000 FOLLOWING) AS c FROM t ORDER BY id;

-- name: win_range_decimal_key
SELECT id, dec, sum(ii) OVER (ORDER BY dec NULLS FIRST RANGE BETWEEN 10.5 PRECEDING AND CURRENT ROW) AS s FROM t ORDER BY id;

-- name: win_range_double_key
SELECT id, d, avg(ii) OVER (ORDER BY d NULLS LAST RANGE BETWEEN 1.5 PRECEDING AND 0.5 FOLLOWING) AS a FROM t ORDER BY id;

-- name: win_range_date_interval
SELECT id, dt, count(*) OVER (ORDER BY dt NULLS LAST RANGE BETWEEN INTERVAL 30 DAY PRECEDING AND CURRENT ROW) AS c
FROM t ORDER BY id;

-- name: win_range_desc_key
SELECT id, k, sum(ii) OVER (ORDER BY k DESC NULLS FIRST RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s FROM t ORDER BY id;

-- name: win_range_current_to_unbounded
SELECT id, k, sum(ii) OVER (PARTITION BY g ORDER BY k NULLS LAST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s
FROM t ORDER BY id;

-- name: win_range_following_only
SELECT id, k, max(id) OVER (ORDER BY k NULLS LAST RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS m FROM t ORDER BY id;

-- name: win_range_unbounded_to_offset
SELECT id, k, count(ii) OVER (PARTITION BY g ORDER BY k NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING) AS c
FROM t ORDER BY id;

-- name: win_range_min_string
SELECT id, k, min(s) OVER (ORDER BY k NULLS FIRST RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS m FROM t ORDER BY id;

-- name: win_rows_whole_partition_count
SELECT id, count(*) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS c
FROM t ORDER BY id;

-- name: win_rows_following_past_edge
SELECT id, sum(ii) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 4 FOLLOWING) AS s FROM t ORDER BY id;

-- name: win_rows_preceding_past_edge
SELECT id, sum(ii) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 4 PRECEDING AND 2 PRECEDING) AS s,
  count(*) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 4 PRECEDING AND 2 PRECEDING) AS c FROM t ORDER BY id;

-- name: win_rows_current_only
SELECT id, sum(ii) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS s FROM t ORDER BY id;

-- name: win_rows_single_offset_form
SELECT id, count(*) OVER (PARTITION BY k ORDER BY id ROWS 2 PRECEDING) AS c FROM t ORDER BY id;

-- name: win_several_specs
SELECT id, row_number() OVER (PARTITION BY g ORDER BY id) AS rn, rank() OVER (ORDER BY k NULLS LAST) AS r,
  sum(ii) OVER (PARTITION BY k) AS sk, lag(s) OVER (ORDER BY id DESC) AS ls FROM t ORDER BY id;

-- name: win_shared_spec_many_functions
SELECT id, row_number() OVER (PARTITION BY g ORDER BY id) AS rn, sum(ii) OVER (PARTITION BY g ORDER BY id) AS s,
  min(dec) OVER (PARTITION BY g ORDER BY id) AS m, lead(id) OVER (PARTITION BY g ORDER BY id) AS nx,
  first_value(s) OVER (PARTITION BY g ORDER BY id) AS f FROM t ORDER BY id;

-- name: win_rank_of_group_sums
SELECT g, sum(ii) AS s, rank() OVER (ORDER BY sum(ii) DESC NULLS LAST) AS r FROM t GROUP BY g ORDER BY g NULLS FIRST;

-- name: win_sum_of_sums
SELECT g, sum(ii) AS s, sum(sum(ii)) OVER () AS total, sum(ii) * 1.0 / sum(sum(ii)) OVER () AS share
FROM t GROUP BY g ORDER BY g NULLS FIRST;

-- name: win_running_over_groups_with_having
SELECT k, count(*) AS c, sum(count(*)) OVER (ORDER BY k NULLS LAST) AS running FROM t GROUP BY k HAVING count(*) > 5
ORDER BY k NULLS LAST;

-- name: win_after_where
SELECT id, row_number() OVER (PARTITION BY g ORDER BY id) AS rn FROM t WHERE ii > 0 ORDER BY id;

-- name: win_filter_on_window_in_subquery
SELECT * FROM (SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY id DESC) AS rn FROM t) x WHERE rn <= 2
ORDER BY id;

-- name: win_qualify_latest_per_group
SELECT id, g FROM t QUALIFY row_number() OVER (PARTITION BY g ORDER BY id DESC) = 1 ORDER BY id;

-- name: win_qualify_with_group_by
SELECT k, sum(ii) AS s FROM t GROUP BY k QUALIFY rank() OVER (ORDER BY sum(ii) DESC NULLS LAST) <= 3 ORDER BY k NULLS LAST;

-- name: win_named_window
SELECT id, sum(ii) OVER w AS s, row_number() OVER w AS rn FROM t WINDOW w AS (PARTITION BY g ORDER BY id) ORDER BY id;

-- name: win_named_windows_two
SELECT id, count(*) OVER w1 AS c, min(s) OVER w2 AS m FROM t
WINDOW w1 AS (PARTITION BY k), w2 AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY id;

-- name: win_in_order_by
SELECT id, g FROM t ORDER BY row_number() OVER (ORDER BY ii DESC NULLS LAST, id), id;

-- name: win_inside_expression
SELECT id, row_number() OVER (ORDER BY id) * 10 + 1 AS x, coalesce(lag(ii) OVER (ORDER BY id), -1) AS y FROM t ORDER BY id;

-- name: win_partition_by_expression
SELECT id, row_number() OVER (PARTITION BY id % 3 ORDER BY id) AS rn, sum(ii) OVER (PARTITION BY k IS NULL) AS s
FROM t ORDER BY id;

-- name: win_order_by_expression
SELECT id, rank() OVER (ORDER BY ii * -1 NULLS LAST) AS r FROM t ORDER BY id;

-- name: win_empty_table
SELECT id, row_number() OVER (PARTITION BY g ORDER BY id) AS rn, sum(ii) OVER () AS s FROM e ORDER BY id;

-- name: win_empty_after_filter
SELECT id, lag(id) OVER (ORDER BY id) AS l, count(*) OVER () AS c FROM t WHERE id > 1000;

-- name: win_over_join
SELECT t.id, u.uid, row_number() OVER (PARTITION BY u.uid ORDER BY t.id) AS rn,
  sum(u.amount) OVER (PARTITION BY t.g ORDER BY t.id, u.uid) AS s
FROM t JOIN u ON t.k = u.k ORDER BY t.id, u.uid;

-- name: win_partition_mostly_null_key
SELECT id, nv, row_number() OVER (PARTITION BY nv ORDER BY id) AS rn, count(*) OVER (PARTITION BY nv) AS c FROM t
ORDER BY id;

-- name: win_partition_two_keys
SELECT id, dense_rank() OVER (PARTITION BY g, k ORDER BY id) AS dr, count(*) OVER (PARTITION BY g, k) AS c FROM t
ORDER BY id;

-- name: win_order_mixed_directions
SELECT id, row_number() OVER (ORDER BY g DESC NULLS LAST, k ASC NULLS FIRST, id) AS rn FROM t ORDER BY id;

-- name: win_lag_string_ignore_nulls_by_key
SELECT id, lag(s, 1 IGNORE NULLS) OVER (PARTITION BY k ORDER BY id) AS ls FROM t ORDER BY id;

-- name: win_union_of_windows
SELECT id, row_number() OVER (ORDER BY id) AS n FROM t WHERE id <= 5
UNION ALL
SELECT uid, rank() OVER (ORDER BY k NULLS LAST) FROM u WHERE uid <= 5
ORDER BY 1, 2;

-- name: win_in_cte
WITH r AS (SELECT id, g, sum(ii) OVER (PARTITION BY g ORDER BY id) AS running FROM t)
SELECT g, max(running) AS m FROM r GROUP BY g ORDER BY g NULLS FIRST;

-- name: win_distinct_counts
SELECT DISTINCT g, count(*) OVER (PARTITION BY g) AS c FROM t ORDER BY g NULLS FIRST;

-- name: win_lead_offset_past_every_partition
SELECT id, lead(ii, 200) OVER (PARTITION BY g ORDER BY id) AS l FROM t ORDER BY id;

-- name: win_u_amount_running_and_moving
SELECT uid, amount, sum(amount) OVER (ORDER BY uid) AS running,
  avg(amount) OVER (ORDER BY uid ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS moving,
  sum(amount) OVER (ORDER BY amount RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS near
FROM u ORDER BY uid;

-- name: win_u_dates
SELECT uid, ud, first_value(ud) OVER (PARTITION BY g ORDER BY ud NULLS LAST, uid) AS f,
  count(ud) OVER (ORDER BY ud NULLS FIRST RANGE BETWEEN INTERVAL 50 DAY PRECEDING AND INTERVAL 50 DAY FOLLOWING) AS c
FROM u ORDER BY uid;

-- name: win_untyped_null_arguments
SELECT id, sum(NULL) OVER () AS s, count(NULL) OVER (PARTITION BY g) AS c, min(NULL) OVER (ORDER BY id) AS m,
  lag(NULL) OVER (ORDER BY id) AS l, first_value(NULL) OVER (PARTITION BY k ORDER BY id) AS f FROM t ORDER BY id;

-- name: win_lag_lead_first_row_defaults_by_key
SELECT id, lag(id, 1, -1) OVER (PARTITION BY k ORDER BY id) AS p, lead(id, 1, -1) OVER (PARTITION BY k ORDER BY id) AS n
FROM t ORDER BY id;

-- name: win_range_offset_to_unbounded_with_nulls_last
SELECT id, k, sum(ii) OVER (ORDER BY k NULLS LAST RANGE BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM t
ORDER BY id;

-- name: win_range_unbounded_to_offset_preceding_nulls_first
SELECT id, k, count(*) OVER (PARTITION BY g ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS c
FROM t ORDER BY id;

-- name: win_range_desc_offsets_to_unbounded
SELECT id, k, max(id) OVER (ORDER BY k DESC NULLS LAST RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS m,
  count(*) OVER (ORDER BY k DESC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING) AS c FROM t ORDER BY id;
