package io.kiln.codegen.runtime;

import io.kiln.data.Batch;
import io.kiln.physical.Operator;
import io.kiln.physical.PipelineBody;
import io.kiln.physical.expr.VectorOps;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.ValueVector;

/**
 * The base of every generated pipeline class: what the generated code calls that is not worth
 * generating (null bits, selection buffers, handing batches to interpreted join operators).
 */
public abstract class GeneratedPipeline implements PipelineBody {
  protected final Object[] refs;
  protected final Operator[] ops;
  protected final BufferAllocator allocator;
  /** Rows out of each operator of the pipeline (fused or not), added once per batch, for EXPLAIN ANALYZE. */
  protected final LongAdder[] stepRows;
  /** Rows of the input batch that reach the end of the current segment. */
  protected int[] sel = new int[0];

  protected GeneratedPipeline(Object[] refs, Operator[] ops, LongAdder[] stepRows, BufferAllocator allocator) {
    this.refs = refs;
    this.ops = ops;
    this.stepRows = stepRows;
    this.allocator = allocator;
  }

  /** True if bit {@code i} of the validity buffer at {@code address} is clear (the value is NULL). */
  protected static boolean isNull(long address, int i) {
    return (MemoryUtil.getByte(address + (i >> 3)) & (1 << (i & 7))) == 0;
  }

  protected static boolean bit(long address, int i) {
    return (MemoryUtil.getByte(address + (i >> 3)) & (1 << (i & 7))) != 0;
  }

  protected static boolean noNulls(ValueVector v) {
    return v.getNullCount() == 0;
  }

  protected final int[] selection(int rows) {
    if (sel.length < rows) {
      sel = new int[Math.max(rows, 1024)];
    }
    return sel;
  }

  /** Column {@code c} of {@code in} restricted to the selected rows (shared without copying if all are). */
  protected final ValueVector pick(Batch in, int c, int selected) {
    ValueVector v = in.column(c);
    return selected == in.rowCount() ? VectorOps.share(v, allocator) : VectorOps.gather(v, sel, selected, allocator);
  }

  @Override
  public void finish(io.kiln.physical.Sink.Local local) {}
}
