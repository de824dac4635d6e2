-- ORDER BY (direction, NULLS FIRST/LAST, ordinal, alias, expressions), LIMIT/OFFSET, DISTINCT.
-- Every ORDER BY is total (ends in a unique key) so the expected answer is unique.

-- name: order_by_unique_key_desc
SELECT id, ii FROM t ORDER BY id DESC;

-- name: order_by_nullable_asc_nulls_last
SELECT id, ii FROM t ORDER BY ii ASC NULLS LAST, id;

-- name: order_by_nullable_asc_nulls_first
SELECT id, ii FROM t ORDER BY ii NULLS FIRST, id;

-- name: order_by_nullable_desc_nulls_first
SELECT id, dt FROM t ORDER BY dt DESC NULLS FIRST, id;

-- name: order_by_nullable_desc_nulls_last
SELECT id, dec FROM t ORDER BY dec DESC NULLS LAST, id DESC;

-- name: order_by_string_then_key
SELECT id, s FROM t ORDER BY s NULLS FIRST, id;

-- name: order_by_boolean
SELECT id, b FROM t ORDER BY b DESC NULLS LAST, id;

-- name: order_by_timestamp
SELECT id, ts FROM t ORDER BY ts NULLS LAST, id;

-- name: order_by_double_and_real
SELECT id, d, r FROM t ORDER BY d DESC NULLS LAST, r NULLS FIRST, id;

-- name: order_by_ordinal
SELECT g, id, k FROM t ORDER BY 1 NULLS LAST, 2 DESC;

-- name: order_by_alias
SELECT id, ii + si AS total FROM t ORDER BY total DESC NULLS LAST, id;

-- name: order_by_expression_not_selected
SELECT id, g FROM t ORDER BY id % 7, id;

-- name: order_by_aggregate_alias
SELECT g, count(*) AS n, sum(ii) AS s FROM t GROUP BY g ORDER BY n DESC, g NULLS LAST;

-- name: order_by_aggregate_expression
SELECT k, sum(dec) AS s FROM t GROUP BY k ORDER BY sum(dec) DESC NULLS LAST, k NULLS LAST;

-- name: order_by_mixed_directions
SELECT id, g, k FROM t ORDER BY g DESC NULLS LAST, k ASC NULLS FIRST, id DESC;

-- name: limit_after_order
SELECT id, ii FROM t ORDER BY ii DESC NULLS LAST, id LIMIT 7;

-- name: limit_offset
SELECT id, s FROM t ORDER BY s NULLS LAST, id LIMIT 5 OFFSET 10;

-- name: offset_beyond_rows
SELECT id FROM t ORDER BY id LIMIT 5 OFFSET 200;

-- name: limit_larger_than_input
SELECT uid FROM u ORDER BY uid LIMIT 1000;

-- name: limit_zero
SELECT id FROM t LIMIT 0;

-- name: limit_on_aggregate
SELECT g, sum(dec) AS s FROM t GROUP BY g ORDER BY s DESC NULLS LAST, g NULLS LAST LIMIT 3;

-- name: limit_in_subquery_then_aggregate
SELECT count(*) AS n, sum(ii) AS s FROM (SELECT ii FROM t ORDER BY id DESC LIMIT 10) AS last10;

-- name: top_n_large_offset
SELECT id, d FROM t ORDER BY d NULLS FIRST, id LIMIT 20 OFFSET 75;

-- name: distinct_single_column
SELECT DISTINCT g FROM t;

-- name: distinct_multiple_columns_with_nulls
SELECT DISTINCT b, k FROM t;

-- name: distinct_with_order_by
SELECT DISTINCT k FROM t ORDER BY k NULLS FIRST;

-- name: distinct_expression
SELECT DISTINCT k % 4 AS m FROM t;

-- name: distinct_dates_and_decimals
SELECT DISTINCT dt, sd FROM t WHERE id < 50;

-- name: distinct_star
SELECT DISTINCT * FROM (SELECT g, b FROM t) AS x;
