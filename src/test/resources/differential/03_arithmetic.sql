-- Arithmetic and decimal typing. No integer division: its meaning differs between engines.

-- name: integer_add_sub_mul
SELECT id, ii + si AS a, ii - ti AS c, si * k AS e FROM t;

-- name: bigint_arithmetic
SELECT id, bi + 1 AS a, bi * 2 AS c, bi - ii AS e FROM t;

-- name: integer_modulo
SELECT id, ii % 7 AS a, si % 10 AS c FROM t;

-- name: unary_minus_and_parentheses
SELECT id, -(ii + si) * 2 AS a, -(-k) AS c FROM t;

-- name: decimal_add_same_scale
SELECT id, dec + dec AS a FROM t;

-- name: decimal_add_different_scales
SELECT id, dec + dec4 AS a, sd - dec AS c FROM t;

-- name: decimal_multiply
SELECT id, dec * sd AS a FROM t;

-- name: decimal_times_integer
SELECT id, dec * k AS a, ii * sd AS c FROM t;

-- name: decimal_one_minus_rate
SELECT uid, amount * (1 - 0.05) AS a, amount * (1 + 0.10) * (1 - 0.02) AS c FROM u;

-- name: decimal_division
SELECT id, dec / 4 AS a FROM t;

-- name: decimal_division_by_decimal
SELECT id, dec / 7.0 AS a FROM t WHERE sd <> 0;

-- name: decimal_literal_arithmetic
SELECT 0.06 - 0.01 AS a, 0.06 + 0.01 AS c, 100.00 * 3 AS e, 1.5 * 1.5 AS f;

-- name: decimal_compare_after_arithmetic
SELECT id FROM t WHERE dec * 2 > dec4;

-- name: double_arithmetic
SELECT id, d * 2 + 1 AS a, d - r AS c, d * d AS e FROM t;

-- name: double_division
SELECT id, d / 4 AS a, CAST(ii AS DOUBLE) / 8 AS c FROM t;

-- name: real_arithmetic
SELECT id, r + r AS a, r * 4 AS c FROM t;

-- name: decimal_plus_double
SELECT id, dec + d AS a FROM t;

-- name: integer_plus_decimal_literal
SELECT id, k + 0.5 AS a, ii * 0.01 AS c FROM t;

-- name: null_propagates_through_arithmetic
SELECT id, nv + ii AS a, nv * dec AS c FROM t;

-- name: tinyint_widened_before_multiplying
SELECT id, CAST(ti AS INTEGER) * ti * ti AS a, ti + 200 AS c FROM t;

-- name: arithmetic_in_where_and_order
SELECT id, ii + si AS total FROM t WHERE ii + si > 0 ORDER BY total DESC, id;
