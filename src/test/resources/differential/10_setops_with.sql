-- Set operations and WITH.

-- name: union_all
SELECT k FROM t UNION ALL SELECT k FROM u;

-- name: union_distinct_with_nulls
SELECT k FROM t UNION SELECT k FROM u;

-- name: union_strings_ordered
SELECT g FROM t UNION SELECT g FROM u ORDER BY g NULLS FIRST;

-- name: union_all_three_branches
SELECT id AS x FROM t WHERE id < 3 UNION ALL SELECT uid FROM u WHERE uid < 3 UNION ALL SELECT id FROM t WHERE id > 98;

-- name: union_type_widening
SELECT ti AS v FROM t WHERE id < 10 UNION ALL SELECT bi FROM t WHERE id > 95;

-- name: union_decimal_and_integer
SELECT dec AS v FROM t WHERE id < 5 UNION ALL SELECT k FROM t WHERE id > 96;

-- name: intersect_with_nulls
SELECT k FROM t INTERSECT SELECT k FROM u;

-- name: intersect_two_columns
SELECT g, k FROM t INTERSECT SELECT g, k FROM u;

-- name: except_removes_duplicates
SELECT k FROM u EXCEPT SELECT k FROM t;

-- name: except_strings_with_nulls
SELECT g FROM u EXCEPT SELECT g FROM t WHERE g <> 'g2';

-- name: union_then_aggregate
SELECT count(*) AS n, count(DISTINCT k) AS dk FROM (SELECT k FROM t UNION ALL SELECT k FROM u) AS both_;

-- name: union_with_limit
SELECT id AS x, 't' AS src FROM t UNION ALL SELECT uid, 'u' FROM u ORDER BY x DESC, src LIMIT 6;

-- name: with_single_cte
WITH big AS (SELECT id, ii FROM t WHERE ii > 2000) SELECT count(*) AS n, sum(ii) AS s FROM big;

-- name: with_cte_used_twice_like_q15
WITH rev AS (SELECT k, sum(dec) AS total FROM t GROUP BY k)
SELECT k, total FROM rev WHERE total = (SELECT max(total) FROM rev);

-- name: with_chained_ctes
WITH a AS (SELECT g, k, ii FROM t WHERE ii IS NOT NULL),
     b AS (SELECT g, sum(ii) AS s FROM a GROUP BY g),
     c AS (SELECT g, s FROM b WHERE s > 0)
SELECT g, s FROM c;

-- name: with_cte_joined_with_table
WITH per_k AS (SELECT k, count(*) AS n FROM u GROUP BY k)
SELECT t.id, per_k.n FROM t JOIN per_k ON t.k = per_k.k WHERE t.id < 40;

-- name: with_cte_in_subquery
WITH keys AS (SELECT k FROM u WHERE amount < 0)
SELECT id FROM t WHERE k IN (SELECT k FROM keys);

-- name: with_cte_shadows_nothing_and_orders
WITH x AS (SELECT id, g FROM t WHERE k = 2) SELECT g, id FROM x ORDER BY g NULLS LAST, id DESC;

-- name: with_cte_set_operation
WITH a AS (SELECT k FROM t WHERE id < 50), b AS (SELECT k FROM t WHERE id >= 50)
SELECT k FROM a INTERSECT SELECT k FROM b;

-- name: union_all_trailing_order_and_limit_apply_to_whole
SELECT id FROM t WHERE id < 10 UNION ALL SELECT id + 1000 FROM t WHERE id < 10 ORDER BY id DESC LIMIT 4 OFFSET 1;

-- name: union_trailing_limit_without_order_counts_rows
SELECT count(*) FROM (SELECT id FROM t UNION ALL SELECT id FROM t LIMIT 7) x;

-- name: union_all_bare_null_takes_the_other_sides_type
SELECT s FROM t WHERE id < 4 UNION ALL SELECT NULL UNION ALL SELECT g FROM u WHERE uid < 3;

-- name: union_bare_null_first_then_dates
SELECT NULL AS d UNION SELECT NULL UNION SELECT dt FROM t WHERE id < 6;

-- name: union_bare_null_beside_decimals
SELECT id, dec FROM t WHERE id < 5 UNION ALL SELECT 0, NULL;

-- name: with_in_list_and_cte_referenced_twice
WITH picked AS (SELECT id, k FROM t WHERE k IN (1, 2, 3) AND id < 60) SELECT a.id, b.k FROM picked a, picked b WHERE a.id = b.id;
