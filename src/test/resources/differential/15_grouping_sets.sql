-- GROUPING SETS, ROLLUP and CUBE with grouping(): NULL keys in the data beside the NULLs a set
-- leaves out, several aggregates, HAVING and ORDER BY over grouping(), sets combined with plain
-- keys, and an empty table.

-- name: rollup_two_keys
SELECT g, b, count(*) AS n, sum(ii) AS s FROM t GROUP BY ROLLUP (g, b);

-- name: rollup_with_grouping_bits
SELECT g, k, grouping(g) AS gg, grouping(g, k) AS gk, count(*) AS n FROM t GROUP BY ROLLUP (g, k);

-- name: cube_two_keys
SELECT g, b, count(*) AS n, avg(d) AS a, min(s) AS mn, max(dt) AS mx FROM t GROUP BY CUBE (g, b);

-- name: cube_three_keys_decimal_sums
SELECT g, b, k % 3 AS m, sum(dec) AS s, count(dec4) AS c FROM t GROUP BY CUBE (g, b, k % 3);

-- name: grouping_sets_listed
SELECT g, k, b, count(*) AS n FROM t GROUP BY GROUPING SETS ((g, k), (b), ());

-- name: grouping_sets_with_a_repeated_set
SELECT g, count(*) AS n FROM t GROUP BY GROUPING SETS ((g), (g), ());

-- name: plain_key_with_rollup
SELECT g, b, k, count(*) AS n, sum(si) AS s FROM t GROUP BY g, ROLLUP (b, k);

-- name: rollup_of_a_composite_element
SELECT g, b, k, count(*) AS n FROM t GROUP BY ROLLUP ((g, b), k);

-- name: rollup_having_and_order_by_grouping
SELECT g, b, grouping(g, b) AS lvl, count(*) AS n FROM t GROUP BY ROLLUP (g, b)
HAVING count(*) > 3
ORDER BY lvl, g NULLS FIRST, b NULLS FIRST;

-- name: rollup_count_distinct
SELECT g, count(DISTINCT k) AS dk, count(*) AS n FROM t GROUP BY ROLLUP (g);

-- name: rollup_on_a_join
SELECT t.g, u.g AS ug, count(*) AS n, sum(u.amount) AS s FROM t JOIN u ON t.k = u.k GROUP BY ROLLUP (t.g, u.g);

-- name: rollup_over_an_empty_table_keeps_no_groups_but_the_total
SELECT g, count(*) AS n FROM e GROUP BY ROLLUP (g) HAVING grouping(g) = 0;

-- name: cube_in_a_subquery_then_filtered
SELECT * FROM (SELECT g, b, count(*) AS n FROM t GROUP BY CUBE (g, b)) x WHERE g IS NULL OR b IS NULL;

-- name: rollup_by_select_alias_and_ordinal
SELECT upper(g) AS ug, b, count(*) AS n FROM t GROUP BY ROLLUP (ug, 2);

-- name: rollup_over_an_empty_table_has_its_grand_total
SELECT g, count(*) AS n, sum(ii) AS s, count(ii) AS c, grouping(g) AS gg FROM e GROUP BY ROLLUP (g);

-- name: grouping_sets_over_an_empty_result_have_their_totals
SELECT g, b, count(*) AS n, count(*) FILTER (WHERE b) AS nb, max(s) AS mx
FROM t WHERE id < 0 GROUP BY GROUPING SETS ((g), (), (b), ());

-- name: count_star_with_a_grand_total_counts_real_rows
SELECT g, count(*) AS n, count(*) FILTER (WHERE k IS NULL) AS nk FROM t GROUP BY ROLLUP (g);
