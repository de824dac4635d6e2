package io.kiln.physical.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.exec.ExecContext;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.expr.VectorOps;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Runs one aggregation over the same rows as SINGLE and as PARTIAL per chunk → shuffled state rows →
 * FINAL, and compares the two answers group by group. Rows are engine objects (Long, Double,
 * Boolean, String) of the columns of {@code layout}.
 */
final class TwoPhaseHarness {
  final BufferAllocator allocator;
  final List<ColumnRef> layout;
  final ExecContext ctx;

  TwoPhaseHarness(BufferAllocator allocator, List<ColumnRef> layout) {
    this.allocator = allocator;
    this.layout = layout;
    this.ctx = new ExecContext(allocator, null, 1);
  }

  /** One aggregation: its keys and calls, whose arguments and FILTERs are columns of the layout. */
  record Aggregation(List<ColumnRef> keys, List<AggregateCall> calls) {
    List<DataType> keyTypes() {
      return keys.stream().map(ColumnRef::type).toList();
    }
  }

  Batch batch(List<Object[]> rows) {
    ValueVector[] cols = new ValueVector[layout.size()];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = Vectors.allocate(layout.get(c).type(), layout.get(c).name(), allocator, rows.size());
      for (int r = 0; r < rows.size(); r++) {
        VectorOps.write(cols[c], r, rows.get(r)[c]);
      }
    }
    return new Batch(cols, rows.size());
  }

  private List<Evaluator> keys(Aggregation a) {
    ExprCompiler compiler = new ExprCompiler(layout);
    return a.keys().stream().map(compiler::compile).toList();
  }

  private List<Evaluator> args(Aggregation a) {
    ExprCompiler compiler = new ExprCompiler(layout);
    List<Evaluator> out = new ArrayList<>();
    for (AggregateCall c : a.calls()) {
      out.add(c.arg() == null ? null : c.by() == null ? compiler.compile(c.arg())
          : new ArgumentPairEvaluator(compiler.compile(c.arg()), compiler.compile(c.by())));
    }
    return out;
  }

  private List<Evaluator> filters(Aggregation a) {
    ExprCompiler compiler = new ExprCompiler(layout);
    List<Evaluator> out = new ArrayList<>();
    for (AggregateCall c : a.calls()) {
      out.add(c.filter() == null ? null : compiler.compile(c.filter()));
    }
    return out;
  }

  /**
   * Pushes each group of batches into its own local (as worker threads would), merges the locals
   * and takes the sink's output.
   */
  private Batch run(HashAggregateSink sink, List<List<Batch>> perLocal) {
    try (sink) {
      for (List<Batch> batches : perLocal) {
        Sink.Local local = sink.newLocal(ctx);
        try (local) {
          for (Batch b : batches) {
            local.push(b);
          }
          sink.merge(local);
        }
      }
      return sink.take(ctx);
    }
  }

  /** SINGLE over all rows, in two locals of a few batches each. */
  Batch single(Aggregation a, List<Object[]> rows) {
    HashAggregateSink sink = new HashAggregateSink(keys(a), a.calls(), args(a), filters(a), "single");
    int half = rows.size() / 2;
    return run(sink, List.of(List.of(batch(rows.subList(0, half / 3)), batch(rows.subList(half / 3, half))),
        List.of(batch(rows.subList(half, rows.size())))));
  }

  /** PARTIAL over one chunk (split between two locals), checked against the layout it promises. */
  Batch partial(Aggregation a, List<Object[]> chunk) {
    HashAggregateSink sink = HashAggregateSink.partial(keys(a), a.calls(), args(a), filters(a), "partial");
    int half = chunk.size() / 2;
    Batch out = run(sink, List.of(List.of(batch(chunk.subList(0, half))),
        List.of(batch(chunk.subList(half, chunk.size())))));
    List<Field> expected = AggregateLayout.partialFields(a.keyTypes(), a.calls());
    try {
      assertEquals(expected.size(), out.columnCount(), "PARTIAL output columns");
      for (int c = 0; c < expected.size(); c++) {
        assertEquals(expected.get(c), out.column(c).getField(), "PARTIAL output column " + c);
      }
    } catch (AssertionError e) {
      out.close();
      throw e;
    }
    return out;
  }

  /**
   * PARTIAL on each chunk, every state row of every chunk in one shuffled order, cut into batches of
   * random sizes for FINAL's two locals.
   */
  Batch twoPhase(Aggregation a, List<List<Object[]>> chunks, SplittableRandom random) {
    List<Batch> states = new ArrayList<>();
    try {
      for (List<Object[]> chunk : chunks) {
        states.add(partial(a, chunk));
      }
      List<Field> fields = AggregateLayout.partialFields(a.keyTypes(), a.calls());
      List<int[]> rows = new ArrayList<>();
      for (int b = 0; b < states.size(); b++) {
        for (int r = 0; r < states.get(b).rowCount(); r++) {
          rows.add(new int[] {b, r});
        }
      }
      Collections.shuffle(rows, new java.util.Random(random.nextLong()));
      List<List<Batch>> perLocal = List.of(new ArrayList<>(), new ArrayList<>());
      int at = 0;
      do { // at least one batch, if only an empty one
        int n = Math.min(rows.size() - at, random.nextInt(1, 40));
        perLocal.get(random.nextInt(2)).add(gather(states, fields, rows.subList(at, at + n)));
        at += n;
      } while (at < rows.size());
      return run(HashAggregateSink.finalMerge(a.keyTypes(), a.calls(), "final"), perLocal);
    } finally {
      states.forEach(Batch::close);
    }
  }

  /** The rows {@code (batch, row)} of {@code from} as one new batch of {@code fields}. */
  private Batch gather(List<Batch> from, List<Field> fields, List<int[]> rows) {
    ValueVector[] cols = new ValueVector[fields.size()];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = fields.get(c).createVector(allocator);
      cols[c].allocateNew();
      for (int i = 0; i < rows.size(); i++) {
        int[] at = rows.get(i);
        cols[c].copyFromSafe(at[1], i, from.get(at[0]).column(c));
      }
    }
    return new Batch(cols, rows.size());
  }

  /** Each output row's aggregate values by its key values. */
  static Map<List<Object>, Object[]> byKey(Batch out, int keys) {
    Map<List<Object>, Object[]> m = new HashMap<>();
    for (int r = 0; r < out.rowCount(); r++) {
      List<Object> key = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        key.add(VectorOps.read(out.column(k), r));
      }
      Object[] values = new Object[out.columnCount() - keys];
      for (int c = keys; c < out.columnCount(); c++) {
        values[c - keys] = VectorOps.read(out.column(c), r);
      }
      assertTrue(m.put(key, values) == null, "key " + key + " appears twice");
    }
    return m;
  }

  /**
   * The same groups with the same values: exact but for doubles, whose sums change with merge order
   * (relative 1e-9 of the larger, or 1e-9 absolute near zero).
   */
  static void assertSameAnswer(Aggregation a, Batch expected, Batch actual) {
    int keys = a.keys().size();
    assertEquals(expected.columnCount(), actual.columnCount());
    for (int c = 0; c < expected.columnCount(); c++) {
      assertEquals(expected.column(c).getClass(), actual.column(c).getClass(), "column " + c);
    }
    Map<List<Object>, Object[]> e = byKey(expected, keys);
    Map<List<Object>, Object[]> got = byKey(actual, keys);
    assertEquals(e.keySet(), got.keySet(), "groups");
    for (Map.Entry<List<Object>, Object[]> entry : e.entrySet()) {
      Object[] want = entry.getValue();
      Object[] have = got.get(entry.getKey());
      for (int i = 0; i < want.length; i++) {
        String where = a.calls().get(i) + " of group " + entry.getKey();
        boolean isDouble = expected.column(keys + i) instanceof Float8Vector;
        if (isDouble && want[i] != null && have[i] != null) {
          double x = (Double) want[i];
          double y = (Double) have[i];
          if (!(Double.compare(x, y) == 0 || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y))))) {
            fail(where + ": SINGLE " + x + ", two-phase " + y);
          }
        } else {
          assertEquals(want[i], have[i], where);
        }
      }
    }
  }

  /** Cuts rows into {@code parts} contiguous chunks at random points; some chunks may be empty. */
  static List<List<Object[]>> chunks(List<Object[]> rows, int parts, SplittableRandom random) {
    int[] cuts = new int[parts + 1];
    for (int i = 1; i < parts; i++) {
      cuts[i] = random.nextInt(rows.size() + 1);
    }
    cuts[parts] = rows.size();
    Arrays.sort(cuts);
    List<List<Object[]>> out = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      out.add(rows.subList(cuts[i], cuts[i + 1]));
    }
    return out;
  }
}
