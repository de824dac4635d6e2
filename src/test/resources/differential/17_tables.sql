-- In-memory tables: CREATE TABLE (columns or AS query), INSERT (VALUES or a query, with a column
-- list, with implicit casts), DROP TABLE. Table names are unique per query or replaced, so the
-- queries do not depend on each other's order. Each Kiln session and DuckDB run the statements
-- before the last once. The cluster suite leaves this file out: in-memory tables live in the
-- session and do not travel to workers (a query reading one fails with that message).

-- name: ctas_all_types
CREATE OR REPLACE TABLE tt_all AS SELECT * FROM t;
SELECT * FROM tt_all ORDER BY id;

-- name: ctas_aggregate
CREATE OR REPLACE TABLE tt_agg AS SELECT g, count(*) AS n, sum(dec) AS total, avg(d) AS mean FROM t GROUP BY g;
SELECT * FROM tt_agg;

-- name: ctas_from_empty_table
CREATE OR REPLACE TABLE tt_empty AS SELECT * FROM e;
SELECT count(*) AS n, max(id) AS m, min(s) AS s FROM tt_empty;

-- name: ctas_no_rows
CREATE OR REPLACE TABLE tt_none AS SELECT id, s, dt FROM t WHERE id < 0;
SELECT * FROM tt_none;

-- name: ctas_if_not_exists_keeps_the_table
CREATE OR REPLACE TABLE tt_keep AS SELECT id FROM t WHERE id <= 3;
CREATE TABLE IF NOT EXISTS tt_keep AS SELECT id FROM t;
SELECT id FROM tt_keep ORDER BY id;

-- name: ctas_or_replace_changes_columns
CREATE OR REPLACE TABLE tt_rep AS SELECT id FROM t WHERE id <= 3;
CREATE OR REPLACE TABLE tt_rep AS SELECT uid, name FROM u WHERE uid > 36;
SELECT * FROM tt_rep ORDER BY uid;

-- name: ctas_expressions
CREATE OR REPLACE TABLE tt_expr AS
SELECT id, ii * 2 AS twice, upper(s) AS us, CAST(ts AS DATE) AS day, dec * 2 AS dd, coalesce(g, 'none') AS gg
FROM t WHERE id % 3 = 0;
SELECT * FROM tt_expr ORDER BY id;

-- name: ctas_join
CREATE OR REPLACE TABLE tt_join AS SELECT t.id, u.name, u.amount FROM t JOIN u ON t.k = u.k;
SELECT name, count(*) AS n, sum(amount) AS total FROM tt_join GROUP BY name;

-- name: ctas_with_cte
CREATE OR REPLACE TABLE tt_cte AS WITH x AS (SELECT g, max(ii) AS m, min(dt) AS first_day FROM t GROUP BY g) SELECT * FROM x;
SELECT * FROM tt_cte;

-- name: ctas_from_view
CREATE OR REPLACE VIEW v_tt AS SELECT id, g, ts FROM t WHERE id > 90;
CREATE OR REPLACE TABLE tt_fromview AS SELECT * FROM v_tt;
SELECT * FROM tt_fromview ORDER BY id;

-- name: ctas_joined_with_table
CREATE OR REPLACE TABLE tt_keys AS SELECT DISTINCT k FROM u WHERE k IS NOT NULL;
SELECT t.id, t.k FROM t JOIN tt_keys ON t.k = tt_keys.k WHERE t.id < 30 ORDER BY t.id;

-- name: ctas_values
CREATE OR REPLACE TABLE tt_vals AS SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, NULL)) AS v(n, s);
SELECT * FROM tt_vals ORDER BY n;

-- name: ctas_over_read_parquet
CREATE OR REPLACE TABLE tt_file AS SELECT * FROM read_parquet('${dir}/u.parquet') WHERE uid % 2 = 0;
SELECT uid, k, name, amount, ud, g FROM tt_file ORDER BY uid;

-- name: ctas_over_read_csv_then_insert
CREATE OR REPLACE TABLE tt_csv AS SELECT uid, name, amount FROM read_csv('${dir}/u.csv', header => true);
INSERT INTO tt_csv SELECT uid, name, amount FROM read_csv('${dir}/u.csv', header => true) WHERE uid < 3;
SELECT uid, name, amount FROM tt_csv ORDER BY uid, name;

-- name: ctas_cross_join_many_rows
CREATE OR REPLACE TABLE tt_big AS SELECT a.id AS x, b.id AS y FROM t AS a, t AS b;
SELECT count(*) AS n, sum(x) AS sx, sum(y * 2) AS sy FROM tt_big;

-- name: create_then_insert_every_type
CREATE OR REPLACE TABLE tt_types (b BOOLEAN, ti TINYINT, si SMALLINT, ii INTEGER, bi BIGINT, r REAL, d DOUBLE,
  dec DECIMAL(12,2), dec4 DECIMAL(18,4), sd DECIMAL(5,1), dt DATE, ts TIMESTAMP, s VARCHAR);
INSERT INTO tt_types VALUES
  (true, -5, 300, 70000, 5000000000, 1.5, -2.25, 1234.56, -0.0001, 12.3, DATE '2020-02-29', TIMESTAMP '2021-03-04 05:06:07.123456', 'hello'),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (false, 127, -32768, -2147483648, 9223372036854775807, 0, 1e10, -9999999999.99, 99999999999999.9999, -9999.9, DATE '1970-01-01', TIMESTAMP '1999-12-31 23:59:59', '');
SELECT * FROM tt_types ORDER BY ii NULLS LAST;

-- name: insert_text_into_typed_columns
CREATE OR REPLACE TABLE tt_str (dt DATE, ts TIMESTAMP, ii INTEGER, dec DECIMAL(12,2), b BOOLEAN);
INSERT INTO tt_str VALUES ('2020-01-02', '2020-01-02 03:04:05', '42', '3.25', 'true');
SELECT * FROM tt_str;

-- name: insert_column_list_leaves_others_null
CREATE OR REPLACE TABLE tt_cols (a INTEGER, b VARCHAR, c DATE);
INSERT INTO tt_cols (b, a) VALUES ('x', 1), ('y', 2);
SELECT * FROM tt_cols ORDER BY a;

-- name: insert_select
CREATE OR REPLACE TABLE tt_ins AS SELECT id, g FROM t WHERE id <= 5;
INSERT INTO tt_ins SELECT uid, g FROM u WHERE uid > 35;
SELECT * FROM tt_ins ORDER BY id;

-- name: insert_select_with_implicit_casts
CREATE OR REPLACE TABLE tt_cast (x DOUBLE, y BIGINT, z VARCHAR);
INSERT INTO tt_cast SELECT ii, id, dt FROM t WHERE id < 20;
SELECT * FROM tt_cast ORDER BY y;

-- name: insert_several_times_and_from_itself
CREATE OR REPLACE TABLE tt_many (n INTEGER);
INSERT INTO tt_many VALUES (1);
INSERT INTO tt_many VALUES (2), (3);
INSERT INTO tt_many SELECT n + 10 FROM tt_many;
SELECT n FROM tt_many ORDER BY n;

-- name: insert_into_ctas_table
CREATE OR REPLACE TABLE tt_sum AS SELECT g, sum(ii) AS s FROM t GROUP BY g;
INSERT INTO tt_sum VALUES ('gx', 1);
SELECT g, s FROM tt_sum ORDER BY g NULLS FIRST;

-- name: insert_nulls_and_empty_inputs
CREATE OR REPLACE TABLE tt_nulls AS SELECT * FROM t WHERE id <= 2;
INSERT INTO tt_nulls SELECT * FROM e;
INSERT INTO tt_nulls (id) VALUES (1000);
SELECT * FROM tt_nulls ORDER BY id;

-- name: insert_union
CREATE OR REPLACE TABLE tt_union (id BIGINT, label VARCHAR);
INSERT INTO tt_union SELECT id, s FROM t WHERE id < 4 UNION ALL SELECT uid, name FROM u WHERE uid < 3;
SELECT * FROM tt_union ORDER BY id, label NULLS FIRST;

-- name: insert_values_expressions
CREATE OR REPLACE TABLE tt_vexpr (a INTEGER, b VARCHAR, c DOUBLE);
INSERT INTO tt_vexpr VALUES (1 + 2, 'a' || 'b', 1), (abs(-7), upper('x'), NULL), (NULL, NULL, 2.5);
SELECT * FROM tt_vexpr ORDER BY a NULLS LAST;

-- name: insert_ordered_limit
CREATE OR REPLACE TABLE tt_top (id BIGINT, d DOUBLE);
INSERT INTO tt_top SELECT id, d FROM t WHERE d IS NOT NULL ORDER BY d DESC, id LIMIT 5;
SELECT * FROM tt_top ORDER BY id;

-- name: insert_boolean_and_integer_casts
CREATE OR REPLACE TABLE tt_bi (n INTEGER, flag BOOLEAN);
INSERT INTO tt_bi SELECT b, ii > 0 FROM t WHERE id < 20;
SELECT n, flag, count(*) AS c FROM tt_bi GROUP BY n, flag;

-- name: insert_numbers_widened
CREATE OR REPLACE TABLE tt_num (dec DECIMAL(12,2), d DOUBLE, r REAL, big BIGINT);
INSERT INTO tt_num SELECT ii, bi, si, ti FROM t WHERE id < 12;
SELECT * FROM tt_num ORDER BY dec NULLS FIRST, d NULLS FIRST;

-- name: insert_timestamp_and_date_swapped
CREATE OR REPLACE TABLE tt_dt (day DATE, moment TIMESTAMP);
INSERT INTO tt_dt SELECT ts, dt FROM t WHERE id < 15;
SELECT day, moment FROM tt_dt ORDER BY day NULLS FIRST, moment NULLS FIRST;

-- name: drop_and_recreate
CREATE OR REPLACE TABLE tt_drop AS SELECT id FROM t WHERE id < 3;
DROP TABLE tt_drop;
CREATE TABLE tt_drop AS SELECT uid AS id, name FROM u WHERE uid < 3;
SELECT * FROM tt_drop ORDER BY id;

-- name: drop_if_exists_of_a_missing_table
DROP TABLE IF EXISTS tt_never_created;
SELECT count(*) AS n FROM t;

-- name: create_or_replace_empties_the_table
CREATE OR REPLACE TABLE tt_r2 (a INTEGER);
INSERT INTO tt_r2 VALUES (1);
CREATE OR REPLACE TABLE tt_r2 (a INTEGER);
INSERT INTO tt_r2 VALUES (2);
SELECT a FROM tt_r2;

-- name: create_empty_then_aggregate
CREATE OR REPLACE TABLE tt_blank (a INTEGER, s VARCHAR);
SELECT count(*) AS n, max(a) AS m, min(s) AS first_s FROM tt_blank;

-- name: create_empty_then_group
CREATE OR REPLACE TABLE tt_blank2 (a INTEGER, s VARCHAR);
SELECT s, count(*) AS n FROM tt_blank2 GROUP BY s;

-- name: table_in_cte_and_subquery
CREATE OR REPLACE TABLE tt_sub AS SELECT uid FROM u WHERE uid % 3 = 0;
WITH x AS (SELECT * FROM tt_sub) SELECT id FROM t WHERE id IN (SELECT uid FROM x) ORDER BY id;

-- name: table_with_window
CREATE OR REPLACE TABLE tt_win AS SELECT id, g, ii FROM t;
SELECT id, g, sum(ii) OVER (PARTITION BY g ORDER BY id) AS running FROM tt_win WHERE id < 30 ORDER BY id;

-- name: table_in_three_way_join
CREATE OR REPLACE TABLE tt_small AS SELECT * FROM u WHERE uid < 8;
SELECT t.id, tt_small.name, u.uid FROM t JOIN tt_small ON t.k = tt_small.k JOIN u ON u.uid = tt_small.uid + 1
ORDER BY t.id, tt_small.name;

-- name: table_names_are_case_insensitive
CREATE OR REPLACE TABLE TT_Case AS SELECT 1 AS One, 'x' AS Two;
SELECT one, two FROM tt_case;

-- name: values_in_from_with_column_names
SELECT * FROM (VALUES (1, 'a'), (2, NULL), (3, 'c')) AS v(n, s) ORDER BY n;

-- name: values_columns_take_common_type
SELECT * FROM (VALUES (1, 2.5), (2, NULL), (3, 4)) AS v(a, b) ORDER BY a;
