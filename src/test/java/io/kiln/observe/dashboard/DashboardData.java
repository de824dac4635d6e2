package io.kiln.observe.dashboard;

import io.kiln.tpch.TpchGenerator;
import java.nio.file.Files;
import java.nio.file.Path;

/** The queries the dashboard tests watch, over TPC-H data they generate. */
final class DashboardData {
  /** A join with an aggregate and a sort: several pipelines (or stages), finished in a second or two. */
  static final String QUICK = "select n_name, count(*) as orders, sum(o_totalprice) as total from orders, customer, nation"
      + " where o_custkey = c_custkey and c_nationkey = n_nationkey group by n_name order by total desc";

  /**
   * A cross join of lineitem with 3,000 orders (900 million rows at SF 0.05): seconds, long enough
   * to cancel it from a program. Not much larger: the join makes each probe batch's pairs in one
   * batch (16K rows x 3,000), and a cancel is seen between batches.
   */
  static final String SLOW = "select count(*), max(l_quantity + o_totalprice) from lineitem,"
      + " (select o_totalprice from orders limit 3000) o";

  /** As {@link #SLOW} with 5,000 orders: about 4 s on an idle machine, time enough for a browser to click. */
  static final String SLOW_ENOUGH_TO_CLICK = "select count(*), max(l_quantity + o_totalprice) from lineitem,"
      + " (select o_totalprice from orders limit 5000) o";

  /**
   * A cross join of lineitem with {@code orders} orders: long enough to watch its progress move
   * (seconds at SF 0.05 with a few thousand).
   */
  static String progressing(int orders) {
    return "select count(*) as pairs, min(l_extendedprice - o_totalprice) as gap from lineitem,"
        + " (select o_totalprice from orders limit " + orders + ") o";
  }

  /**
   * lineitem joined with itself on the supplier: 180 million pairs at SF 0.05, in a join stage of
   * several tasks on a cluster that finish one by one over seconds.
   */
  static final String SELF_JOIN = "select count(*) as pairs, max(a.l_extendedprice - b.l_extendedprice) as spread"
      + " from lineitem a, lineitem b where a.l_suppkey = b.l_suppkey";

  private DashboardData() {}

  /** TPC-H at {@code scale} under {@code dir}, generated on first use. */
  static Path tpch(Path dir, double scale) {
    Path data = dir.resolve("tpch");
    if (!Files.isDirectory(data)) {
      TpchGenerator.generate(scale, data, progress -> {});
    }
    return data;
  }
}
