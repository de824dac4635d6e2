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

  protected GeneratedPipeline(Object[] refs, Operator[] ops, LongAdder[] stepRows, BufferAllocator allocator) {
    this.refs = refs;
    this.ops = ops;
    this.stepRows = stepRows;
    this.allocator = allocator;
  }

  /** Where an interpreted operator hands each batch it makes: the generated method of resume point {@code point}. */
  protected final java.util.function.Consumer<Batch> resumeAt(int point, io.kiln.physical.Sink.Local local) {
    return b -> resume(point, b, local);
  }

  /** Runs the generated method of resume point {@code point} on the batch; generated classes with interpreted operators override it. */
  protected void resume(int point, Batch in, io.kiln.physical.Sink.Local local) {
    throw new IllegalStateException("this pipeline has no resume point " + point);
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

  /** A selection array with room for {@code rows} rows: {@code sel} itself if it has. */
  protected static int[] room(int[] sel, int rows) {
    return sel.length >= rows ? sel : new int[Math.max(rows, 1024)];
  }

  /**
   * Column {@code c} of {@code in} at the selected rows, which are ascending: shared without
   * copying if all rows are selected.
   */
  protected final ValueVector pick(Batch in, int c, int[] rows, int selected) {
    ValueVector v = in.column(c);
    return selected == in.rowCount() ? VectorOps.share(v, allocator) : VectorOps.gather(v, rows, selected, allocator);
  }

  /** Column {@code c} of {@code in} at the selected rows, in any order and maybe repeated (join matches). */
  protected final ValueVector gather(Batch in, int c, int[] rows, int selected) {
    return VectorOps.gather(in.column(c), rows, selected, allocator);
  }

  @Override
  public void finish(io.kiln.physical.Sink.Local local) {}
}
