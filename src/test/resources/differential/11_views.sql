-- Views: several statements in one call, the last a SELECT. View names are unique per query
-- or replaced, so the queries do not depend on each other's order.

-- name: create_view_then_select
CREATE VIEW v_positive AS SELECT id, ii FROM t WHERE ii > 0;
SELECT count(*) AS n, sum(ii) AS s FROM v_positive;

-- name: create_or_replace_view_changes_definition
CREATE OR REPLACE VIEW v_replace AS SELECT id FROM t WHERE id < 5;
CREATE OR REPLACE VIEW v_replace AS SELECT id, g FROM t WHERE id > 95;
SELECT * FROM v_replace;

-- name: drop_view_then_recreate
CREATE OR REPLACE VIEW v_drop AS SELECT uid FROM u;
DROP VIEW v_drop;
CREATE VIEW v_drop AS SELECT uid, name FROM u WHERE uid < 4;
SELECT uid, name FROM v_drop ORDER BY uid;

-- name: view_over_view
CREATE OR REPLACE VIEW v_base AS SELECT g, k, dec FROM t WHERE dec IS NOT NULL;
CREATE OR REPLACE VIEW v_agg AS SELECT g, sum(dec) AS total FROM v_base GROUP BY g;
SELECT g, total FROM v_agg WHERE total > 0;

-- name: view_joined_with_table
CREATE OR REPLACE VIEW v_u AS SELECT k, amount FROM u WHERE amount > 0;
SELECT t.id, v_u.amount FROM t JOIN v_u ON t.k = v_u.k WHERE t.id < 30;

-- name: view_like_tpch_q15
CREATE OR REPLACE VIEW v_revenue AS SELECT k AS key_no, sum(dec) AS total_revenue FROM t WHERE dt >= DATE '2020-01-01' GROUP BY k;
SELECT key_no, total_revenue FROM v_revenue WHERE total_revenue = (SELECT max(total_revenue) FROM v_revenue) ORDER BY key_no;

-- name: drop_view_if_exists
DROP VIEW IF EXISTS v_never_created;
SELECT count(*) AS n FROM u;
