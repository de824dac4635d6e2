-- Window functions over big (2,000,000 rows from 20 row groups, read by several workers): each
-- window sorts rows that arrive in many batches from many morsels. Answers are folded into a few
-- rows (counts, min/max, sums of small values) so comparisons stay cheap.

-- name: win_big_row_number_per_group
-- threads: 1 2 4
SELECT g, count(*) AS n, sum(rn) AS s, max(rn) AS m, sum(CASE WHEN rn = 1 THEN id END) AS first_ids
FROM (SELECT g, id, row_number() OVER (PARTITION BY g ORDER BY id) AS rn FROM big) x
GROUP BY g ORDER BY g NULLS FIRST;

-- name: win_big_running_decimal_sum
SELECT k7, count(*) AS n, max(running) AS hi, min(running) AS lo, count(running) AS c
FROM (SELECT k7, sum(dec) OVER (PARTITION BY k7 ORDER BY id) AS running FROM big) x
GROUP BY k7 ORDER BY k7;

-- name: win_big_sliding_min_max
SELECT g, count(mi) AS c, sum(CASE WHEN mi = dec THEN 1 ELSE 0 END) AS at_min, max(ma) AS top, min(mi) AS bottom
FROM (SELECT g, dec, min(dec) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 50 PRECEDING AND 50 FOLLOWING) AS mi,
             max(dec) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 50 PRECEDING AND 50 FOLLOWING) AS ma FROM big) x
GROUP BY g ORDER BY g NULLS FIRST;

-- name: win_big_rank_skewed_keys
SELECT hot, count(*) AS n, max(r) AS max_rank, max(dr) AS max_dense, sum(r) AS sum_rank
FROM (SELECT hot, rank() OVER (PARTITION BY hot ORDER BY k7) AS r, dense_rank() OVER (PARTITION BY hot ORDER BY k7) AS dr
      FROM big) x
WHERE hot IS NULL OR hot < 20 GROUP BY hot ORDER BY hot NULLS FIRST;

-- name: win_big_lag_lead_strings
SELECT count(*) AS n, count(prev) AS c_prev, sum(length(prev)) AS len_prev, count(nxt) AS c_next,
       sum(length(nxt)) AS len_next
FROM (SELECT lag(s, 3) OVER (PARTITION BY k7 ORDER BY id) AS prev,
             lead(ls, 2, 'none') OVER (PARTITION BY k7 ORDER BY id) AS nxt FROM big) x;

-- name: win_big_range_dates
SELECT g, count(*) AS n, max(c) AS hi, min(c) AS lo, sum(c) AS total
FROM (SELECT g, count(*) OVER (PARTITION BY g ORDER BY dt NULLS LAST RANGE BETWEEN INTERVAL 3 DAY PRECEDING
      AND CURRENT ROW) AS c FROM big) x
GROUP BY g ORDER BY g NULLS FIRST;

-- name: win_big_global_ntile
SELECT q, count(*) AS n, min(id) AS lo, max(id) AS hi
FROM (SELECT id, ntile(8) OVER (ORDER BY hk NULLS FIRST, id) AS q FROM big) x
GROUP BY q ORDER BY q;
