package io.kiln.physical.expr;

import io.kiln.error.KilnException;
import io.kiln.data.Batch;
import io.kiln.logical.Function;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.PhysicalKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;

/**
 * + - * / % on two operands of one kind. Integers and decimals are exact (operands arrive at the
 * scale the binder chose; overflow is an error); division by zero gives NULL, as in DuckDB.
 */
final class ArithmeticEvaluator implements Evaluator {
  private final Function op;
  private final Evaluator left;
  private final Evaluator right;
  private final DataType type;

  ArithmeticEvaluator(Function op, Evaluator left, Evaluator right, DataType type) {
    this.op = op;
    this.left = left;
    this.right = right;
    this.type = type;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    if (type.kind() == PhysicalKind.LONG && (op == Function.ADD || op == Function.SUBTRACT || op == Function.MULTIPLY)
        && (isConstant(left) != isConstant(right))) {
      return withConstant(batch, allocator);
    }
    try (ValueVector a = left.evaluate(batch, allocator); ValueVector b = right.evaluate(batch, allocator)) {
      int n = batch.rowCount();
      if (type.kind() == PhysicalKind.DOUBLE) {
        return doubles((Float8Vector) a, (Float8Vector) b, n, allocator);
      }
      return longs((BigIntVector) a, (BigIntVector) b, n, allocator);
    }
  }

  private ValueVector doubles(Float8Vector a, Float8Vector b, int n, BufferAllocator allocator) {
    Float8Vector out = new Float8Vector("arith", allocator);
    out.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      if (a.isNull(i) || b.isNull(i)) {
        continue;
      }
      double x = a.get(i);
      double y = b.get(i);
      switch (op) {
        case ADD: out.set(i, x + y); break;
        case SUBTRACT: out.set(i, x - y); break;
        case MULTIPLY: out.set(i, x * y); break;
        case DIVIDE: if (y != 0) { out.set(i, x / y); } break;
        case MODULO: if (y != 0) { out.set(i, x % y); } break;
        default: throw new IllegalStateException(op.name());
      }
    }
    out.setValueCount(n);
    return out;
  }

  private ValueVector longs(BigIntVector a, BigIntVector b, int n, BufferAllocator allocator) {
    BigIntVector out = new BigIntVector("arith", allocator);
    out.allocateNew(Math.max(n, 1));
    int sa = left.type().scale();
    int sb = right.type().scale();
    int rs = type.scale();
    try {
      if (a.getNullCount() == 0 && b.getNullCount() == 0 && op != Function.DIVIDE && op != Function.MODULO) {
        noNulls(a, b, out, n);
        out.setValueCount(n);
        return out;
      }
      switch (op) {
        case ADD:
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i) && !b.isNull(i)) {
              out.set(i, Math.addExact(a.get(i), b.get(i)));
            }
          }
          break;
        case SUBTRACT:
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i) && !b.isNull(i)) {
              out.set(i, Math.subtractExact(a.get(i), b.get(i)));
            }
          }
          break;
        case MULTIPLY:
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i) && !b.isNull(i)) {
              out.set(i, Math.multiplyExact(a.get(i), b.get(i)));
            }
          }
          break;
        case DIVIDE:
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i) && !b.isNull(i) && b.get(i) != 0) {
              out.set(i, Decimals.divide(a.get(i), sa, b.get(i), sb, rs));
            }
          }
          break;
        case MODULO:
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i) && !b.isNull(i) && b.get(i) != 0) {
              out.set(i, a.get(i) % b.get(i));
            }
          }
          break;
        default:
          throw new IllegalStateException(op.name());
      }
    } catch (RuntimeException e) {
      out.close();
      throw e instanceof ArithmeticException ? overflow() : e;
    }
    out.setValueCount(n);
    return out;
  }

  private KilnException overflow() {
    return type.id() == DataType.Id.DECIMAL ? Decimals.overflow()
        : KilnException.execution("integer overflow in " + op.symbol() + " (" + type + ")");
  }

  private static boolean isConstant(Evaluator e) {
    return e instanceof LiteralEvaluator && ((LiteralEvaluator) e).value() != null;
  }

  /** One side constant (1 - l_discount): the constant is used as is, never spread into a vector. */
  private ValueVector withConstant(Batch batch, BufferAllocator allocator) {
    boolean constantLeft = isConstant(left);
    long c = (Long) ((LiteralEvaluator) (constantLeft ? left : right)).value();
    int n = batch.rowCount();
    BigIntVector out = new BigIntVector("arith", allocator);
    out.allocateNew(Math.max(n, 1));
    try (BigIntVector v = (BigIntVector) (constantLeft ? right : left).evaluate(batch, allocator)) {
      for (int i = 0; i < n; i++) {
        if (v.isNull(i)) {
          continue;
        }
        long x = v.get(i);
        long r;
        switch (op) {
          case ADD: r = Math.addExact(x, c); break;
          case SUBTRACT: r = constantLeft ? Math.subtractExact(c, x) : Math.subtractExact(x, c); break;
          default: r = Math.multiplyExact(x, c); break;
        }
        out.set(i, r);
      }
    } catch (RuntimeException e) {
      out.close();
      throw e instanceof ArithmeticException ? overflow() : e;
    }
    out.setValueCount(n);
    return out;
  }

  /** The common case without NULLs: straight loops over the data buffers, validity set in bulk. */
  private void noNulls(BigIntVector a, BigIntVector b, BigIntVector out, int n) {
    org.apache.arrow.memory.ArrowBuf x = a.getDataBuffer();
    org.apache.arrow.memory.ArrowBuf y = b.getDataBuffer();
    org.apache.arrow.memory.ArrowBuf z = out.getDataBuffer();
    switch (op) {
      case ADD:
        for (int i = 0; i < n; i++) {
          long at = (long) i << 3;
          z.setLong(at, Math.addExact(x.getLong(at), y.getLong(at)));
        }
        break;
      case SUBTRACT:
        for (int i = 0; i < n; i++) {
          long at = (long) i << 3;
          z.setLong(at, Math.subtractExact(x.getLong(at), y.getLong(at)));
        }
        break;
      default:
        for (int i = 0; i < n; i++) {
          long at = (long) i << 3;
          z.setLong(at, Math.multiplyExact(x.getLong(at), y.getLong(at)));
        }
    }
    VectorOps.markValid(out, n);
  }

  @Override
  public DataType type() {
    return type;
  }
}
