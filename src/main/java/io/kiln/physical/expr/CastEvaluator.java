package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.Casts;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.PhysicalKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;

/**
 * CAST: numeric widenings and decimal rescaling in tight loops, everything else through {@link
 * Casts}; TRY_CAST ({@code orNull}) value by value, a value that cannot be converted becoming NULL.
 */
final class CastEvaluator implements Evaluator {
  private final Evaluator input;
  private final DataType from;
  private final DataType to;
  private final boolean orNull;

  CastEvaluator(Evaluator input, DataType to, boolean orNull) {
    this.input = input;
    this.from = input.type();
    this.to = to;
    this.orNull = orNull;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    ValueVector in = input.evaluate(batch, allocator);
    try {
      if (orNull) {
        return eachOrNull(in, n, allocator);
      }
      if (Casts.isRescale(from, to)) {
        return rescale((BigIntVector) in, n, allocator);
      }
      if (from.kind() == PhysicalKind.LONG && from.isExactNumeric() && to.kind() == PhysicalKind.DOUBLE
          && to.id() == DataType.Id.DOUBLE) {
        Float8Vector out = new Float8Vector("cast", allocator);
        out.allocateNew(Math.max(n, 1));
        BigIntVector v = (BigIntVector) in;
        int scale = from.scale();
        for (int i = 0; i < n; i++) {
          if (!v.isNull(i)) {
            out.set(i, Decimals.toDouble(v.get(i), scale));
          }
        }
        out.setValueCount(n);
        return out;
      }
      ValueVector out = Vectors.allocate(to, "cast", allocator, n);
      try {
        for (int i = 0; i < n; i++) {
          VectorOps.write(out, i, Casts.cast(VectorOps.read(in, i), from, to));
        }
      } catch (RuntimeException e) {
        out.close();
        throw e;
      }
      out.setValueCount(n);
      return out;
    } finally {
      in.close();
    }
  }

  private ValueVector eachOrNull(ValueVector in, int n, BufferAllocator allocator) {
    ValueVector out = Vectors.allocate(to, "try_cast", allocator, n);
    try {
      for (int i = 0; i < n; i++) {
        VectorOps.write(out, i, Casts.castOrNull(VectorOps.read(in, i), from, to));
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    out.setValueCount(n);
    return out;
  }

  private ValueVector rescale(BigIntVector v, int n, BufferAllocator allocator) {
    int fromScale = from.scale();
    int toScale = to.scale();
    BigIntVector out = new BigIntVector("cast", allocator);
    out.allocateNew(Math.max(n, 1));
    // Narrowing casts (e.g. to DECIMAL(5,2)) must fail on values that do not fit, not wrap.
    long max = Casts.maxUnscaled(to);
    try {
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          long r = Decimals.rescaleWithin(v.get(i), fromScale, toScale, max, to);
          out.set(i, r);
        }
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
    return to;
  }
}
