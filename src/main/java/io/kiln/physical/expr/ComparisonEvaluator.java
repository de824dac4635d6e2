package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.data.Bytes;
import io.kiln.logical.Function;
import io.kiln.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * = <> < <= > >= and IS NOT DISTINCT FROM on operands of one type. A constant right side (the
 * common case in filters) is read once instead of being expanded into a vector.
 */
final class ComparisonEvaluator implements Evaluator {
  private final Function op;
  private final Evaluator left;
  private final Evaluator right;
  private final Object constant;
  private final boolean constantRight;

  ComparisonEvaluator(Function op, Evaluator left, Evaluator right) {
    this.op = op;
    this.left = left;
    this.right = right;
    this.constantRight = right instanceof LiteralEvaluator && op != Function.IS_NOT_DISTINCT_FROM;
    this.constant = constantRight ? ((LiteralEvaluator) right).value() : null;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    BitVector out = new BitVector("cmp", allocator);
    out.allocateNew(Math.max(n, 1));
    try (ValueVector a = left.evaluate(batch, allocator)) {
      if (constantRight) {
        if (constant != null) {
          compareConstant(a, n, out);
        }
      } else {
        try (ValueVector b = right.evaluate(batch, allocator)) {
          compareVectors(a, b, n, out);
        }
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    out.setValueCount(n);
    return out;
  }

  private void compareConstant(ValueVector a, int n, BitVector out) {
    if (a instanceof BigIntVector && a.getNullCount() == 0) {
      compareLongsNoNulls((BigIntVector) a, (Long) constant, n, out);
    } else if (a instanceof BigIntVector) {
      BigIntVector v = (BigIntVector) a;
      long c = (Long) constant;
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, test(Long.compare(v.get(i), c)) ? 1 : 0);
        }
      }
    } else if (a instanceof Float8Vector) {
      Float8Vector v = (Float8Vector) a;
      double c = (Double) constant;
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, test(Double.compare(v.get(i), c)) ? 1 : 0);
        }
      }
    } else if (a instanceof VarCharVector) {
      VarCharVector v = (VarCharVector) a;
      byte[] c = ((String) constant).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, test(Bytes.compare(v, i, c)) ? 1 : 0);
        }
      }
    } else {
      BitVector v = (BitVector) a;
      int c = ((Boolean) constant) ? 1 : 0;
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, test(Integer.compare(v.get(i), c)) ? 1 : 0);
        }
      }
    }
  }

  /** column op constant without NULLs: one loop per operator, results set bit by bit, all valid. */
  private void compareLongsNoNulls(BigIntVector v, long c, int n, BitVector out) {
    org.apache.arrow.memory.ArrowBuf d = v.getDataBuffer();
    org.apache.arrow.memory.ArrowBuf bits = out.getDataBuffer();
    for (int i = 0; i < n; i++) {
      long x = d.getLong((long) i << 3);
      boolean r;
      switch (op) {
        case EQ: r = x == c; break;
        case NE: r = x != c; break;
        case LT: r = x < c; break;
        case LE: r = x <= c; break;
        case GT: r = x > c; break;
        default: r = x >= c; break;
      }
      if (r) {
        int byteIndex = i >> 3;
        bits.setByte(byteIndex, bits.getByte(byteIndex) | (1 << (i & 7)));
      }
    }
    VectorOps.markValid(out, n);
  }

  private void compareVectors(ValueVector a, ValueVector b, int n, BitVector out) {
    boolean nullSafe = op == Function.IS_NOT_DISTINCT_FROM;
    for (int i = 0; i < n; i++) {
      boolean an = a.isNull(i);
      boolean bn = b.isNull(i);
      if (an || bn) {
        if (nullSafe) {
          out.set(i, an && bn ? 1 : 0);
        }
        continue;
      }
      int c;
      if (a instanceof BigIntVector) {
        c = Long.compare(((BigIntVector) a).get(i), ((BigIntVector) b).get(i));
      } else if (a instanceof Float8Vector) {
        c = Double.compare(((Float8Vector) a).get(i), ((Float8Vector) b).get(i));
      } else if (a instanceof VarCharVector) {
        c = Bytes.compare((VarCharVector) a, i, (VarCharVector) b, i);
      } else {
        c = Integer.compare(((BitVector) a).get(i), ((BitVector) b).get(i));
      }
      out.set(i, test(c) ? 1 : 0);
    }
  }

  private boolean test(int c) {
    switch (op) {
      case EQ:
      case IS_NOT_DISTINCT_FROM:
        return c == 0;
      case NE: return c != 0;
      case LT: return c < 0;
      case LE: return c <= 0;
      case GT: return c > 0;
      case GE: return c >= 0;
      default: throw new IllegalStateException(op.name());
    }
  }

  @Override
  public DataType type() {
    return DataType.BOOLEAN;
  }
}
