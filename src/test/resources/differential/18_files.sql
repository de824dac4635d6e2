-- Table functions over files, and COPY: read_parquet and read_csv read the files the suite writes
-- with DuckDB into its folder (${dir}: t.parquet, u.parquet, e.parquet, t.csv, u.csv,
-- u_pipes.csv with '|' and no header, parts/t1.parquet and parts/t2.parquet holding t's rows).
-- COPY writes into the same folder: each engine writes its own file there, then reads it back.
-- CSV turns an empty string into NULL in Kiln, while DuckDB keeps "" apart: queries over CSV
-- leave t.s out or compare it with <> ''.

-- name: read_parquet_file
SELECT id, b, ti, si, ii, bi, r, d, dec, dec4, sd, dt, ts, s, g, k, nv FROM read_parquet('${dir}/t.parquet') ORDER BY id;

-- name: read_parquet_filter_and_aggregate
SELECT g, count(*) AS n, sum(dec) AS total, min(dt) AS first_day FROM read_parquet('${dir}/t.parquet')
WHERE ii > 0 AND dt >= DATE '2020-01-01' GROUP BY g;

-- name: read_parquet_alias_joined_with_table
SELECT p.id, u.name FROM read_parquet('${dir}/t.parquet') AS p JOIN u ON p.k = u.k WHERE p.id < 40 ORDER BY p.id, u.uid;

-- name: read_parquet_self_join
SELECT a.id, b.id AS next_id FROM read_parquet('${dir}/t.parquet') AS a
JOIN read_parquet('${dir}/t.parquet') AS b ON a.id + 1 = b.id WHERE a.id % 10 = 3 ORDER BY a.id;

-- name: read_parquet_unqualified_function_name_qualifies_columns
SELECT read_parquet.uid, read_parquet.name FROM read_parquet('${dir}/u.parquet') WHERE read_parquet.uid < 5 ORDER BY read_parquet.uid;

-- name: read_parquet_glob
SELECT count(*) AS n, sum(ii) AS s, min(id) AS lo, max(id) AS hi FROM read_parquet('${dir}/parts/*.parquet');

-- name: read_parquet_glob_matches_table
SELECT id, s, dec FROM read_parquet('${dir}/parts/t*.parquet') EXCEPT SELECT id, s, dec FROM t;

-- name: read_parquet_empty_file
SELECT count(*) AS n, max(id) AS m FROM read_parquet('${dir}/e.parquet');

-- name: read_parquet_in_cte_and_subquery
WITH big AS (SELECT uid, amount FROM read_parquet('${dir}/u.parquet') WHERE amount > 0)
SELECT t.id, t.k FROM t WHERE t.k IN (SELECT uid FROM big) AND t.id < 50 ORDER BY t.id;

-- name: read_parquet_in_view
CREATE OR REPLACE VIEW v_files_u AS SELECT uid, g FROM read_parquet('${dir}/u.parquet') WHERE g IS NOT NULL;
SELECT g, count(*) AS n FROM v_files_u GROUP BY g;

-- name: read_parquet_limit
SELECT id, g FROM read_parquet('${dir}/t.parquet') ORDER BY id DESC LIMIT 7;

-- name: read_csv_with_header
SELECT uid, k, name, amount, ud, g FROM read_csv('${dir}/u.csv', header => true) ORDER BY uid;

-- name: read_csv_default_options
SELECT count(*) AS n, sum(amount) AS total, count(ud) AS dated FROM read_csv('${dir}/u.csv');

-- name: read_csv_all_types_of_t
SELECT id, b, ti, si, ii, bi, r, d, dec, dec4, sd, dt, ts, g, k, nv FROM read_csv('${dir}/t.csv', header => true) ORDER BY id;

-- name: read_csv_strings
SELECT id, s FROM read_csv('${dir}/t.csv', header => true) WHERE s <> '' ORDER BY id;

-- name: read_csv_delimiter_without_header
SELECT column0, column1, column2, column3 FROM read_csv('${dir}/u_pipes.csv', header => false, delim => '|') ORDER BY column0;

-- name: read_csv_sep_equals_syntax
SELECT count(*) AS n, sum(column0) AS s FROM read_csv('${dir}/u_pipes.csv', header = false, sep = '|');

-- name: read_csv_grouped_and_joined
SELECT c.g, count(*) AS n, sum(p.ii) AS s FROM read_csv('${dir}/u.csv', header => true) AS c
JOIN read_parquet('${dir}/t.parquet') AS p ON c.k = p.k GROUP BY c.g;

-- name: copy_parquet_then_read_back
COPY (SELECT id, b, ti, si, ii, bi, r, d, dec, dec4, sd, dt, ts, s, g, k, nv FROM t WHERE id % 2 = 0) TO '${dir}/copy_even.parquet' (FORMAT parquet);
SELECT * FROM read_parquet('${dir}/copy_even.parquet') ORDER BY id;

-- name: copy_table_then_read_back
COPY u TO '${dir}/copy_u.parquet' (FORMAT parquet);
SELECT uid, k, name, amount, ud, g FROM read_parquet('${dir}/copy_u.parquet') ORDER BY uid;

-- name: copy_csv_then_read_back
COPY (SELECT uid, k, name, amount, ud FROM u WHERE uid < 30) TO '${dir}/copy_u.csv' (FORMAT csv, HEADER true, DELIMITER ';');
SELECT uid, k, name, amount, ud FROM read_csv('${dir}/copy_u.csv', header => true, delim => ';') ORDER BY uid;

-- name: copy_aggregate_then_join_with_it
COPY (SELECT g, count(*) AS n, sum(ii) AS total FROM t GROUP BY g) TO '${dir}/copy_groups.parquet' (FORMAT parquet);
SELECT t.id, c.n, c.total FROM t JOIN read_parquet('${dir}/copy_groups.parquet') AS c ON t.g = c.g WHERE t.id < 25 ORDER BY t.id;

-- name: copy_no_rows_then_count
COPY (SELECT id, s FROM t WHERE id < 0) TO '${dir}/copy_none.parquet' (FORMAT parquet);
SELECT count(*) AS n FROM read_parquet('${dir}/copy_none.parquet');
