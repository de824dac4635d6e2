package io.kiln.physical;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.logical.LogicalPlan;
import io.kiln.physical.expr.VectorOps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.ValueVector;

/**
 * Computes identical breaker subplans once per query. A CTE or view used twice (TPC-H Q15's
 * revenue view, once joined and once under max()) is bound twice with different column ids; with
 * ids renumbered in order of appearance the two copies print alike, so the second use reads
 * shared (reference-counted) copies of the first one's batches instead of running again.
 */
final class SharedResults {
  private static final Pattern COLUMN_ID = Pattern.compile("#(\\d+)");

  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry implements AutoCloseable {
    List<Batch> batches;

    @Override
    public void close() {
      if (batches != null) {
        Batches.closeAll(batches);
      }
    }
  }

  /** A producer that runs {@code compute} the first time any user of an equal plan asks. */
  Function<ExecContext, List<Batch>> share(LogicalPlan plan, Function<ExecContext, List<Batch>> compute) {
    Entry entry = entries.computeIfAbsent(canonical(plan), k -> new Entry());
    return ctx -> {
      synchronized (entry) {
        if (entry.batches == null) {
          entry.batches = compute.apply(ctx);
          ctx.register(entry);
        }
        List<Batch> copies = new ArrayList<>();
        for (Batch b : entry.batches) {
          ValueVector[] cols = new ValueVector[b.columnCount()];
          for (int c = 0; c < cols.length; c++) {
            cols[c] = VectorOps.share(b.column(c), ctx.allocator());
          }
          copies.add(new Batch(cols, b.rowCount()));
        }
        return copies;
      }
    };
  }

  static String canonical(LogicalPlan plan) {
    Matcher m = COLUMN_ID.matcher(plan.explain());
    Map<String, Integer> ids = new HashMap<>();
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int n = ids.computeIfAbsent(m.group(1), k -> ids.size());
      m.appendReplacement(sb, "#c" + n);
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
