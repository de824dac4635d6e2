-- Date arithmetic and EXTRACT; string functions.

-- name: date_plus_interval_day
SELECT id, CAST(dt + INTERVAL '10' DAY AS DATE) AS a FROM t;

-- name: date_minus_interval_day
SELECT id, CAST(dt - INTERVAL '90' DAY AS DATE) AS a FROM t;

-- name: date_plus_interval_month_clamps_month_end
SELECT id, dt, CAST(dt + INTERVAL '1' MONTH AS DATE) AS a FROM t;

-- name: date_plus_interval_three_months
SELECT id, CAST(dt + INTERVAL '3' MONTH AS DATE) AS a FROM t;

-- name: date_plus_interval_year
SELECT id, CAST(dt + INTERVAL '1' YEAR AS DATE) AS a FROM t;

-- name: date_literal_minus_interval_in_where
SELECT id, dt FROM t WHERE dt <= DATE '1998-12-01' + INTERVAL '22' YEAR - INTERVAL '90' DAY;

-- name: date_range_with_interval_month
SELECT id FROM t WHERE dt >= DATE '2020-07-01' AND dt < DATE '2020-07-01' + INTERVAL '3' MONTH;

-- name: date_literal_interval_constant
SELECT CAST(DATE '2020-01-31' + INTERVAL '1' MONTH AS DATE) AS a,
       CAST(DATE '2020-03-31' - INTERVAL '1' MONTH AS DATE) AS c,
       CAST(DATE '2020-02-29' + INTERVAL '1' YEAR AS DATE) AS e;

-- name: date_minus_date
SELECT id, dt - DATE '2020-01-01' AS days FROM t;

-- name: date_minus_date_columns
SELECT t.id, u.uid, u.ud - t.dt AS days FROM t JOIN u ON t.k = u.k WHERE t.id < 30;

-- name: extract_year_month_day
SELECT id, extract(year FROM dt) AS y, extract(month FROM dt) AS m, extract(day FROM dt) AS d FROM t;

-- name: extract_from_timestamp
SELECT id, extract(year FROM ts) AS y, extract(month FROM ts) AS m, extract(day FROM ts) AS d FROM t;

-- name: group_by_extract_year
SELECT extract(year FROM dt) AS y, count(*) AS n FROM t GROUP BY extract(year FROM dt);

-- name: timestamp_plus_interval_day
SELECT id, ts + INTERVAL '1' DAY AS a FROM t;

-- name: timestamp_compare_date_cast
SELECT id FROM t WHERE CAST(ts AS DATE) = DATE '2021-03-05' OR CAST(ts AS DATE) > DATE '2021-12-01';

-- name: substring_from_for
SELECT id, substring(s FROM 1 FOR 2) AS a FROM t;

-- name: substring_from_only
SELECT id, substring(s FROM 3) AS a FROM t;

-- name: substring_function_form
SELECT id, substring(s, 2, 3) AS a FROM t;

-- name: substring_beyond_length
SELECT id, substring(g FROM 2 FOR 10) AS a, substring(g FROM 5 FOR 2) AS c FROM t;

-- name: upper_lower
SELECT id, upper(s) AS a, lower(s) AS c FROM t;

-- name: trim_spaces
SELECT id, trim(s) AS a FROM t;

-- name: length_of_strings
SELECT id, length(s) AS a, length(trim(s)) AS c FROM t;

-- name: concat_operator
SELECT id, g || '-' || s AS a FROM t;

-- name: concat_operator_null_propagates
SELECT id, s || g AS a FROM t WHERE id <= 40;

-- name: concat_function
SELECT id, concat(g, ':', CAST(k AS VARCHAR)) AS a FROM t;

-- name: string_functions_in_where
SELECT id, s FROM t WHERE upper(substring(s FROM 1 FOR 1)) = 'A' AND length(s) > 3;

-- name: group_by_string_function
SELECT substring(s FROM 1 FOR 2) AS prefix, count(*) AS n FROM t GROUP BY substring(s FROM 1 FOR 2);

-- name: unicode_upper_and_length
SELECT id, upper(s) AS a, length(s) AS c FROM t WHERE s LIKE 'Ü%';
