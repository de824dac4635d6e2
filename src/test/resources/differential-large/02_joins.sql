-- Joins of big (2,000,000 rows) with dim (600,000 rows): high-cardinality keys with duplicates on
-- both sides, keys that match nothing, NULL keys, skewed keys; inner, outer, semi and anti joins,
-- joins followed by aggregation. Answers are folded into one row or cut by a total ORDER BY.

-- name: join_inner_high_cardinality
-- threads: 1 2 4
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did, sum(b.dec) AS s_dec, sum(d.amount) AS s_amount,
       count(b.ls) AS n_ls, min(d.name) AS min_name, max(b.dt) AS max_dt
FROM big b JOIN dim d ON b.hk = d.dk;

-- name: join_left_high_cardinality
-- threads: 1 2 4
SELECT count(*) AS n, count(d.did) AS matched, sum(b.id) AS s_id, sum(d.did) AS s_did, sum(coalesce(d.amount, 1)) AS s_amount,
       count(*) FILTER (WHERE d.did IS NULL AND b.hk IS NULL) AS null_keys
FROM big b LEFT JOIN dim d ON b.hk = d.dk;

-- name: join_right_high_cardinality
SELECT count(*) AS n, count(b.id) AS matched, sum(b.id) AS s_id, sum(d.did) AS s_did, count(d.dk) AS n_dk,
       count(*) FILTER (WHERE b.id IS NULL AND d.dk IS NULL) AS null_keys
FROM big b RIGHT JOIN dim d ON b.hk = d.dk;

-- name: join_full_high_cardinality
-- threads: 1 2 4
SELECT count(*) AS n, count(b.id) AS n_big, count(d.did) AS n_dim, sum(b.id) AS s_id, sum(d.did) AS s_did,
       sum(coalesce(b.hk, d.dk, -1)) AS s_key, count(*) FILTER (WHERE b.id IS NULL) AS only_dim,
       count(*) FILTER (WHERE d.did IS NULL) AS only_big
FROM big b FULL JOIN dim d ON b.hk = d.dk;

-- name: join_full_ordered_prefix
-- Sorted on an expression, not on b.id: DuckDB 2.0.0 answers ORDER BY b.id NULLS FIRST LIMIT n over
-- this FULL (or RIGHT) join wrongly. Its Top-N pushes a dynamic filter on b.id into big's scan,
-- which drops big rows that would have matched, so some matched dim rows come out as unmatched.
SELECT b.id, b.hk, d.did, d.dk
FROM big b FULL JOIN dim d ON b.hk = d.dk
ORDER BY coalesce(b.id, -1 - d.did), d.did NULLS FIRST LIMIT 25;

-- name: join_left_ordered_window
SELECT b.id, b.hk, d.did, d.name, d.amount
FROM big b LEFT JOIN dim d ON b.hk = d.dk
WHERE b.id BETWEEN 1234000 AND 1234040
ORDER BY b.id, d.did NULLS FIRST;

-- name: join_inner_skewed_hot_keys
-- threads: 1 2 4
SELECT b.hot, count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did, sum(b.dec) AS s_dec
FROM big b JOIN dim d ON b.hot = d.hotk
GROUP BY b.hot ORDER BY n DESC, b.hot LIMIT 10;

-- name: join_inner_skewed_folded
SELECT count(*) AS n, count(DISTINCT b.hot) AS d_hot, sum(b.id) AS s_id, sum(d.did) AS s_did, sum(d.dd) AS s_dd
FROM big b JOIN dim d ON b.hot = d.hotk;

-- name: join_full_skewed_folded
SELECT count(*) AS n, count(b.id) AS n_big, count(d.did) AS n_dim, sum(coalesce(b.hot, d.hotk)) AS s_key
FROM big b FULL JOIN dim d ON b.hot = d.hotk;

-- name: join_then_group_by_low_cardinality
SELECT d.g, count(*) AS n, sum(b.dec) AS s_dec, avg(d.dd) AS a_dd, min(b.s) AS min_s, max(d.ddt) AS max_ddt,
       count(DISTINCT b.hk) AS d_hk
FROM big b JOIN dim d ON b.hk = d.dk GROUP BY d.g ORDER BY d.g NULLS FIRST;

-- name: join_then_group_by_high_cardinality_folded
-- threads: 1 2 4
SELECT count(*) AS groups_, sum(n) AS n, sum(hk * n) AS weighted, sum(s_amount) AS s_amount, max(n) AS max_n,
       sum(d_did) AS d_did
FROM (SELECT b.hk, count(*) AS n, sum(d.amount) AS s_amount, count(DISTINCT d.did) AS d_did
      FROM big b JOIN dim d ON b.hk = d.dk GROUP BY b.hk) x;

-- name: left_join_then_group_by_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(m) AS m, sum(s_did) AS s_did, count(s_did) AS n_s_did
FROM (SELECT b.hot, count(*) AS n, count(d.did) AS m, sum(d.did) AS s_did
      FROM big b LEFT JOIN dim d ON b.hk = d.dk GROUP BY b.hot) x;

-- name: full_join_then_group_by
SELECT coalesce(b.g, d.g) AS g, count(*) AS n, count(b.id) AS n_big, count(d.did) AS n_dim, sum(d.did) AS s_did
FROM big b FULL JOIN dim d ON b.hk = d.dk
GROUP BY coalesce(b.g, d.g) ORDER BY g NULLS FIRST;

-- name: join_two_keys
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did
FROM big b JOIN dim d ON b.hk = d.dk AND b.k7 = d.did % 7;

-- name: join_with_residual_condition
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did
FROM big b JOIN dim d ON b.hk = d.dk AND b.dec > d.amount;

-- name: left_join_with_residual_condition
SELECT count(*) AS n, count(d.did) AS matched, sum(d.did) AS s_did
FROM big b LEFT JOIN dim d ON b.hk = d.dk AND d.dd > 100;

-- name: join_on_long_strings
SELECT count(*) AS n, sum(b.id) AS s_id, sum(x.first_id) AS s_first, sum(x.n) AS s_n
FROM big b JOIN (SELECT ls, min(id) AS first_id, count(*) AS n FROM big WHERE ls IS NOT NULL GROUP BY ls) x
  ON b.ls = x.ls;

-- name: join_on_short_strings
SELECT count(*) AS n, sum(b.hk) AS s_hk, sum(x.m) AS s_m
FROM big b JOIN (SELECT s, max(id) AS m FROM big WHERE k7 = 3 GROUP BY s) x ON b.s = x.s;

-- name: join_on_decimals
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did, min(b.dec) AS min_dec, max(d.amount) AS max_amount
FROM big b JOIN dim d ON b.dec = d.amount;

-- name: join_on_dates_small_build
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did
FROM big b JOIN (SELECT * FROM dim WHERE did < 3000) d ON b.dt = d.ddt;

-- name: join_small_build_side
-- threads: 1 2 4
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d.did) AS s_did, count(DISTINCT d.g) AS d_g, sum(b.d) AS s_d
FROM big b JOIN (SELECT * FROM dim WHERE did < 5000) d ON b.hk = d.dk;

-- name: join_big_on_dim_build_direction
SELECT count(*) AS n, sum(d.did) AS s_did, sum(b.hot) AS s_hot
FROM dim d JOIN big b ON d.dk = b.hk WHERE b.k7 = 2;

-- name: join_three_tables
SELECT count(*) AS n, sum(b.id) AS s_id, sum(d1.did) AS s_d1, sum(d2.did) AS s_d2
FROM big b JOIN dim d1 ON b.hk = d1.dk JOIN dim d2 ON b.hot = d2.hotk;

-- name: join_of_aggregates
SELECT count(*) AS n, sum(a.n) AS s_n, sum(c.total) AS s_total, sum(a.hk) AS s_hk
FROM (SELECT hk, count(*) AS n FROM big GROUP BY hk) a
JOIN (SELECT dk, sum(amount) AS total FROM dim GROUP BY dk) c ON a.hk = c.dk;

-- name: self_join_high_cardinality
SELECT count(*) AS n, sum(a.id) AS s_a, sum(b.id) AS s_b
FROM big a JOIN big b ON a.hk = b.hk AND a.id < b.id;

-- name: semi_join_exists
-- threads: 1 2 4
SELECT count(*) AS n, sum(id) AS s_id, sum(dec) AS s_dec
FROM big b WHERE EXISTS (SELECT 1 FROM dim d WHERE d.dk = b.hk);

-- name: anti_join_not_exists
SELECT count(*) AS n, sum(id) AS s_id, count(hk) AS n_hk
FROM big b WHERE NOT EXISTS (SELECT 1 FROM dim d WHERE d.dk = b.hk);

-- name: semi_join_in_subquery
SELECT count(*) AS n, sum(id) AS s_id FROM big WHERE hk IN (SELECT dk FROM dim);

-- name: anti_join_not_in_with_null_in_subquery
SELECT count(*) AS n, sum(id) AS s_id FROM big WHERE hk NOT IN (SELECT dk FROM dim);

-- name: anti_join_not_in_without_nulls
SELECT count(*) AS n, sum(id) AS s_id, count(hk) AS n_hk FROM big WHERE hk NOT IN (SELECT dk FROM dim WHERE dk IS NOT NULL);

-- name: anti_join_not_in_from_dim_side
SELECT count(*) AS n, sum(did) AS s_did FROM dim WHERE dk NOT IN (SELECT hk FROM big WHERE hk IS NOT NULL);

-- name: semi_join_skewed_keys
SELECT count(*) AS n, sum(id) AS s_id FROM big WHERE hot IN (SELECT hotk FROM dim WHERE did < 100000);

-- name: semi_join_correlated_with_extra_condition
SELECT count(*) AS n, sum(id) AS s_id
FROM big b WHERE EXISTS (SELECT 1 FROM dim d WHERE d.dk = b.hk AND d.amount > b.dec);

-- name: anti_join_correlated_with_extra_condition
SELECT count(*) AS n, sum(id) AS s_id
FROM big b WHERE NOT EXISTS (SELECT 1 FROM dim d WHERE d.dk = b.hk AND d.g = b.g);

-- name: semi_join_from_dim_side_then_group
SELECT g, count(*) AS n, sum(did) AS s_did
FROM dim d WHERE EXISTS (SELECT 1 FROM big b WHERE b.hot = d.hotk) GROUP BY g ORDER BY g NULLS FIRST;

-- name: scalar_subquery_per_row_folded
SELECT count(*) AS n, sum(id) AS s_id
FROM big b WHERE b.dec > (SELECT avg(amount) FROM dim d WHERE d.dk = b.hk);
