package io.kiln.physical.window;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowCall;
import io.kiln.logical.WindowFrame;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.expr.VectorOps;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/**
 * The window operator: keeps every input row, then sorts them once by the partition keys and the
 * order keys and computes every call of the window spec over that one order. Its result is the
 * input's columns in window order with one column per call. A cluster sends it whole partitions
 * (a hash exchange on the partition keys), so each task's rows are complete partitions.
 *
 * <p>Fed by a hash exchange on the partition keys in this process, each morsel (an exchange
 * partition) holds whole window partitions: the sink then computes each morsel on its own, on the
 * worker that read it ({@link #perMorsel}), so threads sort and compute in parallel.
 */
public final class WindowSink implements Sink {
  private final List<ColumnRef> input;
  private final List<Expr> partitionKeys;
  private final List<SortKey> orderKeys;
  private final List<WindowCall> calls;
  private final String shown;
  private final List<Batch> batches = new ArrayList<>();
  /** Per-morsel mode: each morsel's finished result; otherwise unused. */
  private final List<Batch> results = new ArrayList<>();
  private boolean perMorsel;

  public WindowSink(List<ColumnRef> input, List<Expr> partitionKeys, List<SortKey> orderKeys, List<WindowCall> calls,
      String shown) {
    this.input = input;
    this.partitionKeys = partitionKeys;
    this.orderKeys = orderKeys;
    this.calls = calls;
    this.shown = shown;
  }

  /**
   * Computes each morsel on its own as it ends: only where every morsel holds whole partitions
   * (the sink reads a hash exchange on the partition keys).
   */
  public WindowSink perMorsel() {
    perMorsel = true;
    return this;
  }

  @Override
  public boolean localPerMorsel() {
    return perMorsel;
  }

  private final class Collected implements Local {
    final ExecContext ctx;
    final List<Batch> batches = new ArrayList<>();
    /** Per-morsel mode: the morsel's result, once computed. */
    Batch result;

    Collected(ExecContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void push(Batch batch) {
      batches.add(batch);
    }

    @Override
    public void morselDone() {
      if (perMorsel && !batches.isEmpty()) {
        result = computeAll(batches, ctx.allocator());
      }
    }

    @Override
    public void close() {
      Batches.closeAll(batches);
      batches.clear();
      if (result != null) {
        result.close();
        result = null;
      }
    }
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new Collected(ctx);
  }

  @Override
  public void merge(Local local) {
    Collected c = (Collected) local;
    if (perMorsel) {
      if (c.result != null) {
        results.add(c.result);
        c.result = null;
      }
      return;
    }
    batches.addAll(c.batches);
    c.batches.clear();
  }

  /** The rows waiting for their windows, or per morsel the windows computed. */
  @Override
  public long heldBytes() {
    return Batches.bytes(batches) + Batches.bytes(results);
  }

  /** The rows in window order (within each partition) with the calls' columns, as batches the caller owns. */
  public List<Batch> take(ExecContext ctx) {
    if (perMorsel) {
      List<Batch> out = new ArrayList<>(results);
      results.clear();
      return out;
    }
    return List.of(computeAll(batches, ctx.allocator()));
  }

  /** The windows over all rows of {@code in}, which it closes and clears. */
  private Batch computeAll(List<Batch> in, BufferAllocator allocator) {
    List<DataType> types = new ArrayList<>();
    for (ColumnRef c : input) {
      types.add(c.type());
    }
    try (Batch all = Batches.concat(in, types, allocator)) {
      Batches.closeAll(in);
      in.clear();
      return compute(all, allocator);
    }
  }

  private Batch compute(Batch all, BufferAllocator allocator) {
    int n = all.rowCount();
    ExprCompiler compiler = new ExprCompiler(input);
    int p = partitionKeys.size();
    int k = p + orderKeys.size();
    ValueVector[] keyColumns = new ValueVector[k];
    boolean[] ascending = new boolean[k];
    boolean[] nullsFirst = new boolean[k];
    Map<Expr, ValueVector> sortedArgs = new HashMap<>();
    ValueVector[] out = new ValueVector[input.size() + calls.size()];
    try {
      for (int i = 0; i < k; i++) {
        Expr e = i < p ? partitionKeys.get(i) : orderKeys.get(i - p).expr();
        keyColumns[i] = compiler.compile(e).evaluate(all, allocator);
        ascending[i] = i < p || orderKeys.get(i - p).ascending();
        nullsFirst[i] = i < p || orderKeys.get(i - p).nullsFirst();
      }
      try (Batch keys = new Batch(keyColumns, n)) {
        SortedPartitions rows = SortedPartitions.of(keys, p, ascending, nullsFirst);
        try (Batch sorted = Batches.gather(all, rows.order, n, allocator)) {
          for (int c = 0; c < input.size(); c++) {
            out[c] = VectorOps.share(sorted.column(c), allocator);
          }
        }
        Map<WindowFrame, FrameBounds> frames = new HashMap<>();
        for (int c = 0; c < calls.size(); c++) {
          WindowCall call = calls.get(c);
          out[input.size() + c] = call(call, rows, keys, frames, sortedArgs, compiler, all, allocator);
        }
      }
      return new Batch(out, n);
    } catch (RuntimeException e) {
      Batches.closeAll(keyColumns);
      Batches.closeAll(out);
      throw e;
    } finally {
      for (ValueVector v : sortedArgs.values()) {
        v.close();
      }
    }
  }

  private ValueVector call(WindowCall call, SortedPartitions rows, Batch keys, Map<WindowFrame, FrameBounds> frames,
      Map<Expr, ValueVector> sortedArgs, ExprCompiler compiler, Batch all, BufferAllocator allocator) {
    if (RankingFunctions.handles(call.fn())) {
      return RankingFunctions.compute(call, rows, allocator);
    }
    ValueVector arg = call.args().isEmpty() ? null : sorted(call.args().get(0), rows, sortedArgs, compiler, all,
        allocator);
    if (call.fn() == WindowCall.Fn.LAG || call.fn() == WindowCall.Fn.LEAD) {
      Expr byDefault = call.args().get(2);
      // A NULL default is what a position outside the partition gives anyway.
      boolean nullDefault = byDefault instanceof io.kiln.logical.Literal && ((io.kiln.logical.Literal) byDefault).isNull();
      ValueVector fallback = nullDefault ? null : sorted(byDefault, rows, sortedArgs, compiler, all, allocator);
      return ValueFunctions.compute(call, rows, null, arg, fallback, allocator);
    }
    FrameBounds frame = frames.computeIfAbsent(call.frame(), f -> frameBounds(f, rows, keys, sortedArgs, allocator));
    if (ValueFunctions.handles(call.fn())) {
      return ValueFunctions.compute(call, rows, frame, arg, null, allocator);
    }
    return FrameAggregates.compute(call, frame, arg, allocator);
  }

  private FrameBounds frameBounds(WindowFrame f, SortedPartitions rows, Batch keys, Map<Expr, ValueVector> sortedArgs,
      BufferAllocator allocator) {
    boolean offsets = f.start().offset() != null || f.end().offset() != null;
    if (f.units() != WindowFrame.Units.RANGE || !offsets) {
      return FrameBounds.of(f, rows, null, true);
    }
    // A RANGE offset compares the one order key (the binder checked there is one), read in sorted order.
    SortKey key = orderKeys.get(0);
    try (ValueVector sortedKey = VectorOps.gather(keys.column(partitionKeys.size()), rows.order, rows.rows(),
        allocator)) {
      return FrameBounds.of(f, rows, sortedKey, key.ascending());
    }
  }

  /** The expression's values in window order, computed once per node. */
  private static ValueVector sorted(Expr e, SortedPartitions rows, Map<Expr, ValueVector> cache,
      ExprCompiler compiler, Batch all, BufferAllocator allocator) {
    ValueVector v = cache.get(e);
    if (v == null) {
      try (ValueVector values = compiler.compile(e).evaluate(all, allocator)) {
        v = VectorOps.gather(values, rows.order, rows.rows(), allocator);
      }
      cache.put(e, v);
    }
    return v;
  }

  @Override
  public String describe() {
    return "Window " + shown;
  }

  @Override
  public void close() {
    Batches.closeAll(batches);
    batches.clear();
    Batches.closeAll(results);
    results.clear();
  }
}
