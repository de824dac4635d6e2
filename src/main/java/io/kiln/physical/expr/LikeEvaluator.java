package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.data.LikePattern;
import io.kiln.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/** value LIKE pattern; a constant pattern is compiled once. */
final class LikeEvaluator implements Evaluator {
  private final Evaluator value;
  private final Evaluator pattern;
  private final LikePattern constant;

  LikeEvaluator(Evaluator value, Evaluator pattern) {
    this.value = value;
    this.pattern = pattern;
    Object p = pattern instanceof LiteralEvaluator ? ((LiteralEvaluator) pattern).value() : null;
    this.constant = p == null ? null : new LikePattern((String) p);
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    BitVector out = new BitVector("like", allocator);
    out.allocateNew(Math.max(n, 1));
    try (VarCharVector v = (VarCharVector) value.evaluate(batch, allocator);
        VarCharVector p = constant == null ? (VarCharVector) pattern.evaluate(batch, allocator) : null) {
      byte[] scratch = new byte[256];
      for (int i = 0; i < n; i++) {
        if (v.isNull(i) || (p != null && p.isNull(i))) {
          continue;
        }
        LikePattern lp = constant != null ? constant : new LikePattern(new String(p.get(i), java.nio.charset.StandardCharsets.UTF_8));
        int start = v.getStartOffset(i);
        int len = v.getEndOffset(i) - start;
        if (scratch.length < len) {
          scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        v.getDataBuffer().getBytes(start, scratch, 0, len);
        out.set(i, lp.matches(scratch, 0, len) ? 1 : 0);
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    out.setValueCount(n);
    return out;
  }

  @Override
  public DataType type() {
    return DataType.BOOLEAN;
  }
}
