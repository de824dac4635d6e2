package io.kiln.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanProto;
import io.kiln.physical.DagBuilder;
import io.kiln.physical.PipelineBodies;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Scans as a scheduler and its workers would run them: a scan node carrying task descriptors is
 * written to plan bytes and read back, and the node read is run through the DAG builder and the
 * executor on a table of the "worker's" own, its rows collected as Java values.
 */
public final class ShippedScans {
  private ShippedScans() {}

  /** A scan node reading {@code columns} of {@code table}, with the given tasks (empty: split where it runs). */
  public static PhysicalNode.Scan scan(String name, TableProvider table, int[] columns, List<ColumnPredicate> pruning,
      List<ScanTaskDescriptor> tasks) {
    List<ColumnRef> output = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    List<Boolean> ids = new ArrayList<>();
    for (int c : columns) {
      Field f = table.schema().getFields().get(c);
      output.add(ColumnRef.fresh(f.getName(), DataType.fromArrow(f.getType(), f.getName())));
      indexes.add(c);
      ids.add(false);
    }
    return new PhysicalNode.Scan(0, name, output, indexes, pruning, OptionalLong.empty(), ids, tasks);
  }

  /** The node as a worker receives it: through the plan's protobuf form, which must keep it whole. */
  public static PhysicalNode.Scan shipped(PhysicalNode.Scan scan) {
    PhysicalNode back = PlanProto.fromBytes(PlanProto.toBytes(new PhysicalNode.Result(1, scan)));
    PhysicalNode.Scan read = (PhysicalNode.Scan) back.inputs().get(0);
    assertEquals(scan, read);
    return read;
  }

  /**
   * Runs the scan as a worker would, through {@link DagBuilder} and the executor on {@code threads}
   * threads (so a plan's descriptors reach the scan it runs); rows in no particular order.
   */
  public static List<Object[]> run(PhysicalNode.Scan scan, TableProvider table, int threads) {
    List<Object[]> rows = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RootAllocator allocator = new RootAllocator(); ExecContext ctx = new ExecContext(allocator, pool, threads)) {
      PhysicalNode plan = new PhysicalNode.Result(scan.id() + 1, scan);
      for (Batch b : DagBuilder.build(plan, name -> table, PipelineBodies.INTERPRETED, ctx).run(ctx)) {
        collect(b, scan.output(), rows);
      }
    } finally { // the allocator's close fails if a morsel leaked
      pool.shutdownNow();
    }
    return rows;
  }

  private static void collect(Batch b, List<ColumnRef> columns, List<Object[]> rows) {
    try (b) {
      for (int r = 0; r < b.rowCount(); r++) {
        Object[] row = new Object[columns.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = Vectors.get(b.column(c), columns.get(c).type(), r);
        }
        rows.add(row);
      }
    }
  }

  /** Every other descriptor, starting at {@code first}: neighbouring slices of a row group go to different workers. */
  public static List<ScanTaskDescriptor> share(List<ScanTaskDescriptor> all, int first) {
    List<ScanTaskDescriptor> out = new ArrayList<>();
    for (int i = first; i < all.size(); i += 2) {
      out.add(all.get(i));
    }
    return out;
  }

  /** The rows in a fixed order, as text, so two scans' rows compare as multisets. */
  public static List<String> sorted(List<Object[]> rows) {
    return rows.stream().map(Arrays::toString).sorted(Comparator.naturalOrder()).toList();
  }
}
