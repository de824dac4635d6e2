-- CAST between the types: every numeric type to every other, to and from text, booleans, dates
-- and timestamps, with NULLs; TRY_CAST where a value cannot be converted.

-- name: cast_numbers_to_every_integer
SELECT id, CAST(ti AS SMALLINT) AS a, CAST(si AS INTEGER) AS b, CAST(ii AS BIGINT) AS c, CAST(d AS INTEGER) AS e,
  CAST(r AS BIGINT) AS f, CAST(dec AS INTEGER) AS g, CAST(dec4 AS BIGINT) AS h, CAST(sd AS SMALLINT) AS i
FROM t ORDER BY id;

-- name: cast_numbers_to_floats
SELECT id, CAST(ti AS DOUBLE) AS a, CAST(bi AS DOUBLE) AS b, CAST(dec AS DOUBLE) AS c, CAST(ii AS REAL) AS e,
  CAST(dec4 AS FLOAT) AS f, CAST(d AS REAL) AS g
FROM t ORDER BY id;

-- name: cast_numbers_to_decimals
SELECT id, CAST(ii AS DECIMAL(10,2)) AS a, CAST(d AS DECIMAL(12,3)) AS b, CAST(dec AS DECIMAL(18,1)) AS c,
  CAST(dec4 AS DECIMAL(15,2)) AS e, CAST(r AS DECIMAL(6,2)) AS f, CAST(ti AS DECIMAL(4,1)) AS g
FROM t ORDER BY id;

-- name: cast_numbers_to_text
SELECT id, CAST(ti AS VARCHAR) AS a, CAST(bi AS VARCHAR) AS b, CAST(dec AS VARCHAR) AS c, CAST(dec4 AS VARCHAR) AS e,
  CAST(sd AS VARCHAR) AS f
FROM t ORDER BY id;

-- name: cast_text_to_numbers
SELECT CAST('42' AS INTEGER) AS a, CAST(' 17 ' AS BIGINT) AS b, CAST('-3.25' AS DECIMAL(5,2)) AS c,
  CAST('1e3' AS DOUBLE) AS e, CAST('2.5' AS DOUBLE) AS f, CAST('+8' AS SMALLINT) AS g, CAST('1.005' AS DECIMAL(4,2)) AS h;

-- name: cast_booleans
SELECT id, CAST(b AS INTEGER) AS a, CAST(b AS VARCHAR) AS c, CAST(k AS BOOLEAN) AS e FROM t ORDER BY id;

-- name: cast_text_to_booleans
SELECT CAST('true' AS BOOLEAN) AS a, CAST('FALSE' AS BOOLEAN) AS b, CAST('t' AS BOOLEAN) AS c, CAST('0' AS BOOLEAN) AS e,
  CAST('yes' AS BOOLEAN) AS f, CAST('n' AS BOOLEAN) AS g;

-- name: cast_dates_and_timestamps_to_text
SELECT id, CAST(dt AS VARCHAR) AS a, CAST(ts AS VARCHAR) AS c FROM t ORDER BY id;

-- name: cast_text_to_dates_and_timestamps
SELECT CAST('2021-02-03' AS DATE) AS a, CAST('2021-02-03 04:05:06' AS TIMESTAMP) AS b,
  CAST('2021-02-03 04:05:06.789' AS TIMESTAMP) AS c, CAST('2021-02-03' AS TIMESTAMP) AS e,
  CAST('2021-02-03T04:05:06' AS TIMESTAMP) AS f;

-- name: cast_between_dates_and_timestamps
SELECT id, CAST(dt AS TIMESTAMP) AS a, CAST(ts AS DATE) AS c FROM t ORDER BY id;

-- name: cast_text_column_round_trip
SELECT id, CAST(CAST(ii AS VARCHAR) AS INTEGER) AS a, CAST(CAST(dec AS VARCHAR) AS DECIMAL(12,2)) AS c,
  CAST(CAST(dt AS VARCHAR) AS DATE) AS e, CAST(CAST(ts AS VARCHAR) AS TIMESTAMP) AS f
FROM t ORDER BY id;

-- name: try_cast_bad_values_give_null
SELECT id, TRY_CAST(s AS INTEGER) AS a, TRY_CAST(g AS DATE) AS c, TRY_CAST(s AS DOUBLE) AS e,
  TRY_CAST(bi AS SMALLINT) AS f, TRY_CAST(ii AS TINYINT) AS h
FROM t ORDER BY id;

-- name: cast_shorthand_and_functions
SELECT id, ii::BIGINT AS a, dec::DOUBLE AS c, dt::VARCHAR AS e FROM t ORDER BY id;

-- name: cast_in_predicates_and_groups
SELECT CAST(dec AS INTEGER) % 5 AS bucket, count(*) AS n, sum(CAST(ii AS DOUBLE)) AS s FROM t
WHERE CAST(k AS VARCHAR) <> '3' GROUP BY CAST(dec AS INTEGER) % 5 ORDER BY bucket NULLS FIRST;
