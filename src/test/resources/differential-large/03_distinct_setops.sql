-- DISTINCT and set operations over big (2,000,000 rows) and dim (600,000 rows): high-cardinality
-- keys, NULLs (which set operations treat as equal), strings, several columns. Answers are folded
-- into one row or cut by a total ORDER BY.

-- name: distinct_high_cardinality_folded
-- threads: 1 2 4
SELECT count(*) AS n, count(hk) AS n_hk, sum(hk) AS s_hk, min(hk) AS min_hk, max(hk) AS max_hk
FROM (SELECT DISTINCT hk FROM big) x;

-- name: distinct_high_cardinality_top
SELECT DISTINCT hk FROM big ORDER BY hk DESC NULLS LAST LIMIT 10;

-- name: distinct_two_columns_folded
SELECT count(*) AS n, sum(CAST(hot AS BIGINT) * 7 + k7) AS s, count(hot) AS n_hot
FROM (SELECT DISTINCT hot, k7 FROM big) x;

-- name: distinct_long_strings_folded
SELECT count(*) AS n, count(ls) AS n_ls, min(ls) AS min_ls, max(ls) AS max_ls, sum(length(ls)) AS len
FROM (SELECT DISTINCT ls FROM big) x;

-- name: distinct_mixed_types_folded
SELECT count(*) AS n, count(dt) AS n_dt, min(dt) AS min_dt, count(s) AS n_s, max(s) AS max_s, count(b) AS n_b
FROM (SELECT DISTINCT dt, s, b FROM big WHERE k7 = 4) x;

-- name: distinct_decimals_folded
SELECT count(*) AS n, sum(dec) AS s_dec, sum(dec4) AS s_dec4
FROM (SELECT DISTINCT dec, dec4 FROM big WHERE hot < 3) x;

-- name: distinct_low_cardinality
SELECT DISTINCT g, k7 FROM big ORDER BY g NULLS FIRST, k7;

-- name: distinct_of_join
SELECT count(*) AS n, sum(hk) AS s_hk, sum(CAST(k7 AS BIGINT)) AS s_k7
FROM (SELECT DISTINCT b.hk, b.k7 FROM big b JOIN dim d ON b.hk = d.dk) x;

-- name: union_high_cardinality
-- threads: 1 2 4
SELECT count(*) AS n, count(k) AS n_k, sum(k) AS s_k, max(k) AS max_k
FROM (SELECT hk AS k FROM big UNION SELECT dk FROM dim) x;

-- name: union_all_then_group_by_folded
SELECT count(*) AS groups_, sum(n) AS n, sum(k * n) AS weighted, max(n) AS max_n
FROM (SELECT k, count(*) AS n FROM (SELECT hk AS k FROM big UNION ALL SELECT dk FROM dim) u GROUP BY k) x;

-- name: union_two_columns_with_nulls
SELECT count(*) AS n, count(k) AS n_k, count(g) AS n_g, sum(k) AS s_k
FROM (SELECT hot AS k, g FROM big UNION SELECT hotk, g FROM dim) x;

-- name: union_strings
SELECT count(*) AS n, count(v) AS n_v, min(v) AS min_v, max(v) AS max_v
FROM (SELECT ls AS v FROM big UNION SELECT name FROM dim UNION SELECT s FROM big) x;

-- name: intersect_high_cardinality
-- threads: 1 2 4
SELECT count(*) AS n, count(k) AS n_k, sum(k) AS s_k, min(k) AS min_k, max(k) AS max_k
FROM (SELECT hk AS k FROM big INTERSECT SELECT dk FROM dim) x;

-- name: intersect_two_columns_with_nulls
SELECT count(*) AS n, count(k) AS n_k, count(g) AS n_g, sum(k) AS s_k
FROM (SELECT hot AS k, g FROM big INTERSECT SELECT hotk, g FROM dim) x;

-- name: except_big_minus_dim
SELECT count(*) AS n, count(k) AS n_k, sum(k) AS s_k, min(k) AS min_k, max(k) AS max_k
FROM (SELECT hk AS k FROM big EXCEPT SELECT dk FROM dim) x;

-- name: except_dim_minus_big
SELECT count(*) AS n, count(k) AS n_k, sum(k) AS s_k, min(k) AS min_k
FROM (SELECT dk AS k FROM dim EXCEPT SELECT hk FROM big) x;

-- name: except_two_columns_with_nulls
SELECT count(*) AS n, count(k) AS n_k, count(g) AS n_g, sum(k) AS s_k
FROM (SELECT hotk AS k, g FROM dim EXCEPT SELECT hot, g FROM big) x;

-- name: except_strings
SELECT count(*) AS n, count(v) AS n_v, min(v) AS min_v, max(v) AS max_v
FROM (SELECT s AS v FROM big EXCEPT SELECT s FROM big WHERE k7 = 1) x;

-- name: intersect_ordered_prefix
SELECT k FROM (SELECT hk AS k FROM big INTERSECT SELECT dk FROM dim) x ORDER BY k NULLS FIRST LIMIT 15;

-- name: except_ordered_suffix
SELECT k FROM (SELECT hk AS k FROM big EXCEPT SELECT dk FROM dim) x ORDER BY k DESC NULLS FIRST LIMIT 15;

-- name: set_operations_chained
SELECT count(*) AS n, sum(k) AS s_k
FROM ((SELECT hk AS k FROM big WHERE k7 < 4 UNION SELECT dk FROM dim WHERE did % 2 = 0)
      EXCEPT SELECT hk FROM big WHERE k7 = 6) x;
