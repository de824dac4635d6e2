-- CASE, CAST, COALESCE, NULLIF, LIKE, IN lists, BETWEEN.

-- name: case_searched_with_else
SELECT id, CASE WHEN ii > 1000 THEN 'high' WHEN ii > 0 THEN 'mid' ELSE 'low' END AS band FROM t;

-- name: case_searched_without_else
SELECT id, CASE WHEN k = 1 THEN 'one' WHEN k = 2 THEN 'two' END AS name FROM t;

-- name: case_simple
SELECT id, CASE g WHEN 'g1' THEN 10 WHEN 'g2' THEN 20 ELSE 0 END AS code FROM t;

-- name: case_mixed_numeric_branches
SELECT id, CASE WHEN b THEN dec ELSE ii END AS v FROM t;

-- name: case_in_where
SELECT id FROM t WHERE CASE WHEN k IS NULL THEN true ELSE k > 5 END;

-- name: cast_int_to_bigint_and_double
SELECT id, CAST(ii AS BIGINT) AS a, CAST(ii AS DOUBLE) AS c FROM t;

-- name: cast_int_to_decimal
SELECT id, CAST(si AS DECIMAL(10,2)) AS a FROM t;

-- name: cast_decimal_to_double
SELECT id, CAST(dec AS DOUBLE) AS a FROM t;

-- name: cast_decimal_rescale
SELECT id, CAST(sd AS DECIMAL(12,4)) AS a FROM t;

-- name: cast_decimal_to_integer_rounds
SELECT id, CAST(dec AS INTEGER) AS a FROM t;

-- name: cast_varchar_to_int_and_date
SELECT CAST('123' AS INTEGER) AS a, CAST('2020-02-29' AS DATE) AS c, CAST('-7' AS BIGINT) AS e;

-- name: cast_int_to_varchar
SELECT id, CAST(ii AS VARCHAR) AS a FROM t;

-- name: cast_date_to_varchar
SELECT id, CAST(dt AS VARCHAR) AS a FROM t;

-- name: cast_timestamp_to_date
SELECT id, CAST(ts AS DATE) AS a FROM t;

-- name: cast_date_to_timestamp
SELECT id, CAST(dt AS TIMESTAMP) AS a FROM t;

-- name: cast_varchar_to_decimal
SELECT CAST('12.345' AS DECIMAL(10,3)) AS a, CAST('-0.5' AS DECIMAL(4,2)) AS c;

-- name: cast_tinyint_to_smallint_widening
SELECT id, CAST(ti AS SMALLINT) * 100 AS a FROM t;

-- name: coalesce_two
SELECT id, COALESCE(ii, 0) AS a FROM t;

-- name: coalesce_many_mixed
SELECT id, COALESCE(nv, ii, si, -1) AS a FROM t;

-- name: coalesce_strings
SELECT id, COALESCE(s, g, 'none') AS a FROM t;

-- name: coalesce_dates
SELECT id, COALESCE(dt, DATE '1999-01-01') AS a FROM t;

-- name: nullif_integer
SELECT id, NULLIF(k, 3) AS a FROM t;

-- name: nullif_string
SELECT id, NULLIF(s, '') AS a FROM t;

-- name: like_prefix
SELECT id, s FROM t WHERE s LIKE 'alpha%';

-- name: like_suffix_and_infix
SELECT id, s FROM t WHERE s LIKE '%a%1' OR s LIKE '%ta_%';

-- name: like_underscore
SELECT id, s FROM t WHERE s LIKE '_eta_';

-- name: like_percent_matches_empty
SELECT id, s FROM t WHERE s LIKE '%';

-- name: not_like
SELECT id, s FROM t WHERE s NOT LIKE '%a%';

-- name: like_case_sensitive
SELECT id, s FROM t WHERE s LIKE 'zeta%' OR s LIKE 'ZETA%';

-- name: like_in_projection
SELECT id, s LIKE '%_b%' AS m FROM t;

-- name: in_list_integers
SELECT id, k FROM t WHERE k IN (1, 3, 5);

-- name: in_list_strings
SELECT id, g FROM t WHERE g IN ('g0', 'g4', 'zz');

-- name: not_in_list
SELECT id, k FROM t WHERE k NOT IN (0, 2, 4, 6, 8);

-- name: in_list_with_null_matches
SELECT id, k FROM t WHERE k IN (1, NULL);

-- name: not_in_list_with_null_is_empty
SELECT id, k FROM t WHERE k NOT IN (1, NULL);

-- name: in_list_in_projection_three_valued
SELECT id, k IN (1, 2, NULL) AS a, k NOT IN (1, 2) AS c FROM t;

-- name: in_list_decimals
SELECT id, sd FROM t WHERE sd IN (-14.7, 0.3, 8.7);

-- name: in_list_dates
SELECT id, dt FROM t WHERE dt IN (DATE '2020-01-31', DATE '2019-08-31');

-- name: between_integers
SELECT id, ii FROM t WHERE ii BETWEEN -1000 AND 1000;

-- name: not_between
SELECT id, si FROM t WHERE si NOT BETWEEN -200 AND 200;

-- name: between_dates
SELECT id, dt FROM t WHERE dt BETWEEN DATE '2020-03-01' AND DATE '2021-02-28';

-- name: between_strings
SELECT id, g FROM t WHERE g BETWEEN 'g1' AND 'g3';

-- name: between_decimal_bounds_with_arithmetic
SELECT id, dec FROM t WHERE dec BETWEEN 0.06 - 0.01 AND 100 + 0.5;
