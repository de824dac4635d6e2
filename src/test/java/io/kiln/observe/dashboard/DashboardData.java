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
   * A cross join of lineitem with 3,000 orders (about 180 million rows at SF 0.01): it runs for
   * tens of seconds, long enough to watch it progress and to cancel it.
   */
  static final String SLOW = "select count(*), sum(l_quantity * o_totalprice) from lineitem,"
      + " (select o_totalprice from orders limit 3000) o";

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
