-- Window functions over TPC-H tables (SF 0.01): decimals (DECIMAL(15,2) money), dates, strings,
-- partitions of very different sizes, and order keys with ties. Order-sensitive functions order
-- by a unique key last so that answers are unique.

-- name: tpch_rank_customers_by_balance_in_nation
SELECT c_custkey, c_nationkey, c_acctbal, rank() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC) AS r
FROM customer ORDER BY c_custkey;

-- name: tpch_top3_customers_per_nation
SELECT * FROM (SELECT c_nationkey, c_custkey, c_acctbal,
  row_number() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS rn FROM customer) x
WHERE rn <= 3 ORDER BY c_nationkey, rn;

-- name: tpch_running_total_per_customer
SELECT o_orderkey, o_custkey, o_orderdate,
  sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS running
FROM orders ORDER BY o_orderkey;

-- name: tpch_moving_avg_of_line_prices
SELECT l_orderkey, l_linenumber,
  avg(l_extendedprice) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS a
FROM lineitem ORDER BY l_orderkey, l_linenumber;

-- name: tpch_previous_order_date
SELECT o_orderkey, lag(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS prev,
  lead(o_orderdate, 2, DATE '1900-01-01') OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS next2
FROM orders ORDER BY o_orderkey;

-- name: tpch_qualify_largest_line_per_order
SELECT l_orderkey, l_linenumber, l_extendedprice FROM lineitem
QUALIFY row_number() OVER (PARTITION BY l_orderkey ORDER BY l_extendedprice DESC, l_linenumber) = 1
ORDER BY l_orderkey;

-- name: tpch_dense_rank_part_sizes_per_brand
SELECT p_partkey, p_brand, p_size, dense_rank() OVER (PARTITION BY p_brand ORDER BY p_size) AS dr
FROM part ORDER BY p_partkey;

-- name: tpch_ntile_deciles_of_order_totals
SELECT o_orderkey, ntile(10) OVER (ORDER BY o_totalprice, o_orderkey) AS decile FROM orders ORDER BY o_orderkey;

-- name: tpch_percent_rank_supplier_balance
SELECT s_suppkey, percent_rank() OVER (PARTITION BY s_nationkey ORDER BY s_acctbal) AS pr,
  cume_dist() OVER (PARTITION BY s_nationkey ORDER BY s_acctbal) AS cd
FROM supplier ORDER BY s_suppkey;

-- name: tpch_cume_dist_quantity_by_flag
SELECT l_orderkey, l_linenumber, cume_dist() OVER (PARTITION BY l_returnflag ORDER BY l_quantity) AS cd
FROM lineitem ORDER BY l_orderkey, l_linenumber;

-- name: tpch_orders_in_the_week_before
SELECT o_orderkey, o_orderdate,
  count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) AS last_week
FROM orders ORDER BY o_orderkey;

-- name: tpch_nation_revenue_share
SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue,
  sum(l_extendedprice * (1 - l_discount)) / sum(sum(l_extendedprice * (1 - l_discount))) OVER () AS share,
  rank() OVER (ORDER BY sum(l_extendedprice * (1 - l_discount)) DESC) AS r
FROM lineitem JOIN supplier ON l_suppkey = s_suppkey JOIN nation ON s_nationkey = n_nationkey
GROUP BY n_name ORDER BY n_name;

-- name: tpch_first_last_part_name_per_brand
SELECT p_partkey, first_value(p_name) OVER (PARTITION BY p_brand ORDER BY p_partkey) AS f,
  last_value(p_name) OVER (PARTITION BY p_brand ORDER BY p_partkey
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l
FROM part ORDER BY p_partkey;

-- name: tpch_sliding_min_max_supplycost
SELECT ps_partkey, ps_suppkey,
  min(ps_supplycost) OVER (PARTITION BY ps_partkey ORDER BY ps_suppkey ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS mi,
  max(ps_supplycost) OVER (PARTITION BY ps_partkey ORDER BY ps_suppkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS ma
FROM partsupp ORDER BY ps_partkey, ps_suppkey;

-- name: tpch_customers_ranked_within_region
SELECT c_custkey, r_name, row_number() OVER (PARTITION BY r_name ORDER BY c_acctbal DESC, c_custkey) AS rn
FROM customer JOIN nation ON c_nationkey = n_nationkey JOIN region ON n_regionkey = r_regionkey
ORDER BY c_custkey;

-- name: tpch_balance_stats_per_segment
SELECT c_custkey, stddev_samp(c_acctbal) OVER (PARTITION BY c_mktsegment) AS sd,
  var_pop(c_acctbal) OVER (PARTITION BY c_mktsegment) AS vp, avg(c_acctbal) OVER (PARTITION BY c_mktsegment) AS a
FROM customer ORDER BY c_custkey;

-- name: tpch_ship_gaps
SELECT l_orderkey, l_linenumber, l_shipdate,
  lag(l_shipdate, 1, l_commitdate) OVER (PARTITION BY l_orderkey ORDER BY l_shipdate, l_linenumber) AS prev_ship
FROM lineitem ORDER BY l_orderkey, l_linenumber;

-- name: tpch_row_number_all_lineitems
SELECT l_orderkey, l_linenumber, row_number() OVER (ORDER BY l_orderkey DESC, l_linenumber DESC) AS rn
FROM lineitem ORDER BY l_orderkey, l_linenumber;

-- name: tpch_monthly_revenue_running
SELECT y, m, revenue, sum(revenue) OVER (PARTITION BY y ORDER BY m) AS ytd,
  revenue - lag(revenue) OVER (ORDER BY y, m) AS change
FROM (SELECT year(o_orderdate) AS y, month(o_orderdate) AS m, sum(o_totalprice) AS revenue
  FROM orders GROUP BY year(o_orderdate), month(o_orderdate)) x
ORDER BY y, m;

-- name: tpch_price_near_quantity_range
SELECT l_orderkey, l_linenumber,
  sum(l_extendedprice) OVER (PARTITION BY l_shipmode ORDER BY l_quantity RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS near
FROM lineitem ORDER BY l_orderkey, l_linenumber;

-- name: tpch_second_order_of_customer
SELECT c_custkey, nth_value(o_orderkey, 2) OVER (PARTITION BY c_custkey ORDER BY o_orderdate, o_orderkey
  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_order
FROM customer LEFT JOIN orders ON c_custkey = o_custkey
QUALIFY row_number() OVER (PARTITION BY c_custkey ORDER BY o_orderkey NULLS LAST) = 1
ORDER BY c_custkey;

-- name: tpch_rank_types_in_brand
SELECT p_partkey, rank() OVER (PARTITION BY p_brand ORDER BY p_type DESC) AS r FROM part ORDER BY p_partkey;

-- name: tpch_several_specs_on_orders
SELECT o_orderkey, rank() OVER (PARTITION BY o_orderpriority ORDER BY o_totalprice DESC) AS by_priority,
  count(*) OVER (PARTITION BY o_orderstatus) AS status_count,
  sum(o_totalprice) OVER (PARTITION BY o_clerk ORDER BY o_orderkey ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS clerk4,
  max(o_orderdate) OVER (PARTITION BY o_custkey) AS last_date
FROM orders ORDER BY o_orderkey;

-- name: tpch_supplier_discount_avg
SELECT l_orderkey, l_linenumber, avg(l_discount) OVER (PARTITION BY l_suppkey) AS a,
  sum(l_quantity) OVER (PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber ROWS 10 PRECEDING) AS q
FROM lineitem ORDER BY l_orderkey, l_linenumber;

-- name: tpch_window_over_nothing
SELECT o_orderkey, row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS rn,
  sum(o_totalprice) OVER () AS total
FROM orders WHERE o_totalprice < 0 ORDER BY o_orderkey;

-- name: tpch_orders_per_day_peers
SELECT o_orderdate, count(*) AS n, sum(count(*)) OVER (ORDER BY o_orderdate) AS cumulative,
  avg(count(*)) OVER (ORDER BY o_orderdate ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS week_avg
FROM orders GROUP BY o_orderdate ORDER BY o_orderdate;

-- name: tpch_partsupp_rank_by_availability
SELECT ps_partkey, ps_suppkey, dense_rank() OVER (ORDER BY ps_availqty DESC) AS dr,
  percent_rank() OVER (PARTITION BY ps_suppkey % 10 ORDER BY ps_availqty) AS pr
FROM partsupp ORDER BY ps_partkey, ps_suppkey;

-- name: tpch_nation_names_lead
SELECT n_nationkey, n_name, lead(n_name) OVER (PARTITION BY n_regionkey ORDER BY n_name) AS next_name,
  first_value(n_name) OVER (ORDER BY n_nationkey ROWS BETWEEN 2 FOLLOWING AND 4 FOLLOWING) AS ahead
FROM nation ORDER BY n_nationkey;

-- The README's window examples, as written there.

-- name: readme_top3_balances_per_nation
SELECT c_nationkey, c_name, c_acctbal FROM customer
QUALIFY row_number() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) <= 3;

-- name: readme_running_moving_previous
SELECT o_custkey, o_orderdate, o_totalprice,
       sum(o_totalprice) OVER w AS running,
       avg(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey ROWS 2 PRECEDING) AS moving,
       lag(o_orderdate, 1, DATE '1900-01-01') OVER w AS previous
FROM orders WINDOW w AS (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey);

-- name: readme_orders_in_last_week
SELECT o_orderkey, count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) FROM orders;

-- name: readme_nation_share
SELECT n_name, sum(l_extendedprice) / sum(sum(l_extendedprice)) OVER () AS share
FROM lineitem JOIN supplier ON l_suppkey = s_suppkey JOIN nation ON s_nationkey = n_nationkey GROUP BY n_name;
