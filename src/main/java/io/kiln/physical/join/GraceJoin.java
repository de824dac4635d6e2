package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.exec.HeapReservation;
import io.kiln.physical.Batches;
import io.kiln.physical.Operator;
import io.kiln.physical.spill.PartitionedSpill;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A hash join whose build side spilled, run as a grace hash join: build rows are on disk by key
 * hash partition; the probe pipeline sets each probe row aside in the same partition; then each
 * partition's build rows become a table in memory and its probe rows are joined against it. Equal
 * keys share a partition, so every join type gives the answer the whole table would (outer joins'
 * unmatched build rows are emitted per partition).
 */
final class GraceJoin {
  /** Probe rows joined at a time: set-aside rows come back in small per-partition slices. */
  private static final int PROBE_BATCH_ROWS = 64 * 1024;

  private final HashJoinFactory join;
  private final JoinSpec spec;
  private final PartitionedSpill build;
  private final PartitionedSpill probe;

  GraceJoin(HashJoinFactory join, JoinSpec spec, PartitionedSpill build, PartitionedSpill probe) {
    this.join = join;
    this.spec = spec;
    this.build = build;
    this.probe = probe;
  }

  /** A probe step that writes its input to the probe partitions and emits nothing. */
  Operator setAside(ExecContext ctx) {
    LongAdder spilledBytes = ctx.rowCounts().counter(join.nodeId(), "bytes spilled");
    return (in, out) -> {
      try (Batch rows = in) {
        spilledBytes.add(probe.write(rows, Batches.keyHashes(spec.probeKeys, rows, ctx.allocator())));
      }
    };
  }

  /** Joins each partition's probe rows with its build rows, handing the output to {@code out}; deletes the files as it goes. */
  void run(ExecContext ctx, Consumer<Batch> out) {
    probe.finishWriting();
    LongAdder rowsOut = ctx.rowCounts().counter(join.nodeId());
    Consumer<Batch> counted = b -> {
      rowsOut.add(b.rowCount());
      out.accept(b);
    };
    // Unmatched build rows are owed even where no probe row came.
    boolean emitsBuildRows = join.emitsAtFinish();
    try (HeapReservation memory = new HeapReservation(ctx.allocator(), join.describe())) {
      for (int p = 0; p < PartitionedSpill.PARTITIONS; p++) {
        try {
          if (probe.rows(p) > 0 || emitsBuildRows && build.rows(p) > 0) {
            joinPartition(p, ctx, memory, counted);
          }
        } finally {
          build.delete(p);
          probe.delete(p);
        }
      }
    }
  }

  private void joinPartition(int p, ExecContext ctx, HeapReservation memory, Consumer<Batch> out) {
    List<Batch> buildRows = new ArrayList<>();
    List<long[]> noHashes = new ArrayList<>();
    try {
      build.read(p, ctx.allocator(), b -> {
        buildRows.add(b);
        noHashes.add(null);
      });
    } catch (RuntimeException e) {
      Batches.closeAll(buildRows);
      throw e;
    }
    try (JoinTable table = join.tableOf(new JoinBuildSink.Rows(buildRows, noHashes), ctx, memory)) {
      Operator op = join.operator(table, ctx);
      List<Batch> pending = new ArrayList<>();
      int[] pendingRows = {0};
      try {
        probe.read(p, ctx.allocator(), b -> {
          pending.add(b);
          pendingRows[0] += b.rowCount();
          if (pendingRows[0] >= PROBE_BATCH_ROWS) {
            op.process(takeAll(pending, ctx), out);
            pendingRows[0] = 0;
          }
        });
        if (!pending.isEmpty()) {
          op.process(takeAll(pending, ctx), out);
        }
      } finally {
        Batches.closeAll(pending);
      }
      Batch owed = op.finish();
      if (owed != null) {
        out.accept(owed);
      }
    }
  }

  /** The pending batches as one (which the caller owns); the list is emptied. */
  private Batch takeAll(List<Batch> pending, ExecContext ctx) {
    try {
      return pending.size() == 1 ? pending.get(0) : Batches.concat(pending, spec.probeTypes, ctx.allocator());
    } finally {
      if (pending.size() > 1) {
        Batches.closeAll(pending);
      }
      pending.clear();
    }
  }
}
