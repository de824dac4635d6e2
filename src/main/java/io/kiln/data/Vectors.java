package io.kiln.data;

import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/** Creating, reading and writing the engine's internal vectors, one place for the encoding rules. */
public final class Vectors {
  private Vectors() {}

  /** A new empty vector of the physical kind of {@code type}, with room for {@code capacity} rows. */
  public static ValueVector allocate(DataType type, String name, BufferAllocator allocator, int capacity) {
    ValueVector v;
    switch (type.kind()) {
      case LONG:
        v = new BigIntVector(name, allocator);
        break;
      case DOUBLE:
        v = new Float8Vector(name, allocator);
        break;
      case BOOLEAN:
        v = new BitVector(name, allocator);
        break;
      default:
        VarCharVector s = new VarCharVector(name, allocator);
        s.allocateNew(Math.max(capacity, 1) * 16L, Math.max(capacity, 1));
        return s;
    }
    v.setInitialCapacity(Math.max(capacity, 1));
    v.allocateNew();
    return v;
  }

  /**
   * Reads one value as its Java form: Boolean, Byte/Short/Integer/Long, Float/Double, BigDecimal,
   * LocalDate, LocalDateTime, String; null for SQL NULL.
   */
  public static Object get(ValueVector v, DataType type, int row) {
    if (v.isNull(row)) {
      return null;
    }
    switch (type.id()) {
      case BOOLEAN:
        return ((BitVector) v).get(row) != 0;
      case TINYINT:
        return (byte) ((BigIntVector) v).get(row);
      case SMALLINT:
        return (short) ((BigIntVector) v).get(row);
      case INTEGER:
        return (int) ((BigIntVector) v).get(row);
      case BIGINT:
        return ((BigIntVector) v).get(row);
      case REAL:
        return (float) ((Float8Vector) v).get(row);
      case DOUBLE:
        return ((Float8Vector) v).get(row);
      case DECIMAL:
        return Decimals.toBigDecimal(((BigIntVector) v).get(row), type.scale());
      case DATE:
        return LocalDate.ofEpochDay(((BigIntVector) v).get(row));
      case TIMESTAMP:
        return Timestamps.fromMicros(((BigIntVector) v).get(row));
      case VARCHAR:
        return new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
      case NULL:
        return null;
      default:
        throw new IllegalStateException("no column of type " + type);
    }
  }

  /** Writes one Java value (as {@link #get} returns them; numbers of any box are converted). */
  public static void set(ValueVector v, DataType type, int row, Object value) {
    if (value == null) {
      setNull(v, row);
      return;
    }
    switch (type.kind()) {
      case LONG:
        ((BigIntVector) v).setSafe(row, toLong(type, value));
        break;
      case DOUBLE:
        ((Float8Vector) v).setSafe(row, ((Number) value).doubleValue());
        break;
      case BOOLEAN:
        ((BitVector) v).setSafe(row, ((Boolean) value) ? 1 : 0);
        break;
      default:
        ((VarCharVector) v).setSafe(row, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void setNull(ValueVector v, int row) {
    if (v instanceof BigIntVector) {
      ((BigIntVector) v).setNull(row);
    } else if (v instanceof Float8Vector) {
      ((Float8Vector) v).setNull(row);
    } else if (v instanceof BitVector) {
      ((BitVector) v).setNull(row);
    } else {
      ((VarCharVector) v).setNull(row);
    }
  }

  /** The engine's long encoding of a Java value of an integer, decimal, date or timestamp type. */
  public static long toLong(DataType type, Object value) {
    switch (type.id()) {
      case DECIMAL:
        BigDecimal d = value instanceof BigDecimal ? (BigDecimal) value : new BigDecimal(value.toString());
        return Decimals.fromBigDecimal(d, type.scale());
      case DATE:
        return value instanceof LocalDate ? ((LocalDate) value).toEpochDay() : ((Number) value).longValue();
      case TIMESTAMP:
        return value instanceof LocalDateTime ? Timestamps.toMicros((LocalDateTime) value) : ((Number) value).longValue();
      default:
        return ((Number) value).longValue();
    }
  }
}
