-- Projection and WHERE: comparisons on every type, boolean logic with NULLs, IS [NOT] NULL.

-- name: select_all_columns
SELECT * FROM t;

-- name: select_star_of_u
SELECT * FROM u;

-- name: where_integer_greater
SELECT id, ii FROM t WHERE ii > 100;

-- name: where_tinyint_equal
SELECT id, ti FROM t WHERE ti = -3;

-- name: where_smallint_range
SELECT id, si FROM t WHERE si >= -100 AND si < 250;

-- name: where_bigint_not_equal
SELECT id, bi FROM t WHERE bi <> 2000000083;

-- name: where_real_less
SELECT id, r FROM t WHERE r < 0.5;

-- name: where_double_greater_equal
SELECT id, d FROM t WHERE d >= 1.25;

-- name: where_decimal_compare_literal
SELECT id, dec FROM t WHERE dec > 12.5;

-- name: where_decimal_compare_integer
SELECT id, dec4 FROM t WHERE dec4 < 0;

-- name: where_small_decimal
SELECT id, sd FROM t WHERE sd BETWEEN -5.5 AND 5.5;

-- name: where_date_compare
SELECT id, dt FROM t WHERE dt < DATE '2021-01-01';

-- name: where_timestamp_compare
SELECT id, ts FROM t WHERE ts >= TIMESTAMP '2021-06-01 00:00:00';

-- name: where_varchar_equal
SELECT id, g FROM t WHERE g = 'g3';

-- name: where_varchar_less
SELECT id, s FROM t WHERE s < 'M';

-- name: where_boolean_column
SELECT id FROM t WHERE b;

-- name: where_not_boolean_column
SELECT id FROM t WHERE NOT b;

-- name: where_boolean_is_true_comparison
SELECT id, b FROM t WHERE b = true;

-- name: where_and_or_precedence
SELECT id FROM t WHERE ii > 0 OR d < 0 AND k = 3;

-- name: where_or_with_nulls
SELECT id FROM t WHERE ii > 1000 OR nv IS NOT NULL;

-- name: where_not_with_nulls
SELECT id FROM t WHERE NOT (ii > 0);

-- name: where_is_null_every_type
SELECT id FROM t WHERE b IS NULL OR ti IS NULL OR si IS NULL OR r IS NULL OR dec4 IS NULL OR ts IS NULL;

-- name: where_is_not_null_many
SELECT id FROM t WHERE ii IS NOT NULL AND dt IS NOT NULL AND s IS NOT NULL AND dec IS NOT NULL;

-- name: where_empty_string
SELECT id FROM t WHERE s = '';

-- name: where_column_compare_column
SELECT id, si, ii FROM t WHERE si < ii;

-- name: where_mixed_int_types
SELECT id FROM t WHERE ti + si > k;

-- name: where_always_false
SELECT id, s FROM t WHERE 1 = 0;

-- name: projection_expressions_and_aliases
SELECT id, ii + 1 AS next_ii, -si AS neg_si, k * 2 AS k2, g AS grp FROM t;

-- name: projection_constants
SELECT id, 42 AS answer, 'x' AS letter, CAST(NULL AS INTEGER) AS nothing, true AS yes FROM t WHERE id <= 3;

-- name: projection_boolean_expression
SELECT id, ii > 0 AS positive, b AND ii > 0 AS both_, b OR ii > 0 AS either FROM t;
