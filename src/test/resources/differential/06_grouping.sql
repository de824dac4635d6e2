-- GROUP BY and HAVING: keys of every type, NULL keys, expressions, several keys.

-- name: group_by_varchar_with_null_key
SELECT g, count(*) AS n, sum(ii) AS s FROM t GROUP BY g;

-- name: group_by_integer
SELECT k, count(*) AS n, avg(d) AS a FROM t GROUP BY k;

-- name: group_by_two_keys
SELECT g, k, count(*) AS n FROM t GROUP BY g, k;

-- name: group_by_boolean
SELECT b, count(*) AS n, min(id) AS first_id FROM t GROUP BY b;

-- name: group_by_date
SELECT dt, count(*) AS n FROM t GROUP BY dt;

-- name: group_by_decimal
SELECT sd, count(*) AS n FROM t GROUP BY sd;

-- name: group_by_tinyint
SELECT ti, count(*) AS n FROM t GROUP BY ti;

-- name: group_by_expression
SELECT k % 3 AS bucket, sum(dec) AS s FROM t GROUP BY k % 3;

-- name: group_by_case_expression
SELECT CASE WHEN ii > 0 THEN 'pos' WHEN ii < 0 THEN 'neg' ELSE 'null_or_zero' END AS sign_, count(*) AS n
FROM t GROUP BY CASE WHEN ii > 0 THEN 'pos' WHEN ii < 0 THEN 'neg' ELSE 'null_or_zero' END;

-- name: group_by_without_aggregates
SELECT g, k FROM t GROUP BY g, k;

-- name: group_by_key_not_selected
SELECT count(*) AS n, sum(ii) AS s FROM t GROUP BY g;

-- name: group_by_timestamp_date
SELECT CAST(ts AS DATE) AS day_, count(*) AS n FROM t GROUP BY CAST(ts AS DATE);

-- name: group_by_many_keys_mixed_types
SELECT b, g, k, dt, count(*) AS n FROM t GROUP BY b, g, k, dt;

-- name: having_count
SELECT g, count(*) AS n FROM t GROUP BY g HAVING count(*) > 18;

-- name: having_aggregate_not_selected
SELECT k FROM t GROUP BY k HAVING sum(ii) > 0;

-- name: having_on_group_key
SELECT g, sum(dec) AS s FROM t GROUP BY g HAVING g <> 'g2';

-- name: having_with_and_or
SELECT k, count(*) AS n, avg(d) AS a FROM t GROUP BY k HAVING count(*) >= 9 AND (avg(d) > 0 OR k IS NULL);

-- name: having_with_null_aggregate_excluded
SELECT g, sum(nv) AS s FROM t GROUP BY g HAVING sum(nv) > 0;

-- name: having_compares_to_scalar_subquery
SELECT k, sum(dec) AS s FROM t GROUP BY k HAVING sum(dec) > (SELECT sum(dec) * 0.1 FROM t);

-- name: group_by_over_join
SELECT u.g, count(*) AS n, sum(u.amount) AS total FROM t JOIN u ON t.k = u.k GROUP BY u.g;
