package io.kiln.data;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Converts between the engine's internal batch encoding (four physical kinds) and proper Arrow
 * vectors of each SQL type's Arrow type, as used at Kiln's boundaries (results, memory tables).
 * Both directions copy: the input stays owned by the caller.
 */
public final class ArrowConversion {

  private ArrowConversion() {}

  /** An Arrow root with one properly typed vector per batch column. The caller closes it. */
  public static VectorSchemaRoot toArrow(Batch batch, List<String> names, List<DataType> types, BufferAllocator allocator) {
    if (names.size() != batch.columnCount() || types.size() != batch.columnCount()) {
      throw new IllegalArgumentException("batch has " + batch.columnCount() + " columns, got " + names.size()
          + " names and " + types.size() + " types");
    }
    int n = batch.rowCount();
    List<Field> fields = new ArrayList<>();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < batch.columnCount(); c++) {
        Field field = new Field(names.get(c), types.get(c).toFieldType(true), null);
        FieldVector out = field.createVector(allocator);
        vectors.add(out);
        fields.add(field);
        out.setInitialCapacity(Math.max(n, 1));
        out.allocateNew();
        fill(out, batch.column(c), types.get(c), n);
        out.setValueCount(n);
      }
    } catch (RuntimeException e) {
      vectors.forEach(ValueVector::close);
      throw e;
    }
    return new VectorSchemaRoot(fields, vectors, n);
  }

  private static void fill(FieldVector out, ValueVector in, DataType type, int n) {
    for (int i = 0; i < n; i++) {
      if (in.isNull(i)) {
        if (!(out instanceof org.apache.arrow.vector.NullVector)) {
          setNull(out, i);
        }
        continue;
      }
      switch (type.id()) {
        case BOOLEAN:
          ((BitVector) out).setSafe(i, ((BitVector) in).get(i));
          break;
        case TINYINT:
          ((TinyIntVector) out).setSafe(i, (byte) ((BigIntVector) in).get(i));
          break;
        case SMALLINT:
          ((SmallIntVector) out).setSafe(i, (short) ((BigIntVector) in).get(i));
          break;
        case INTEGER:
          ((IntVector) out).setSafe(i, (int) ((BigIntVector) in).get(i));
          break;
        case BIGINT:
          ((BigIntVector) out).setSafe(i, ((BigIntVector) in).get(i));
          break;
        case REAL:
          ((Float4Vector) out).setSafe(i, (float) ((Float8Vector) in).get(i));
          break;
        case DOUBLE:
          ((Float8Vector) out).setSafe(i, ((Float8Vector) in).get(i));
          break;
        case DECIMAL:
          // The long is the unscaled value at the column's scale, exactly what DecimalVector stores.
          ((DecimalVector) out).setSafe(i, ((BigIntVector) in).get(i));
          break;
        case DATE:
          ((DateDayVector) out).setSafe(i, Math.toIntExact(((BigIntVector) in).get(i)));
          break;
        case TIMESTAMP:
          ((TimeStampMicroVector) out).setSafe(i, ((BigIntVector) in).get(i));
          break;
        case VARCHAR:
          ((VarCharVector) out).setSafe(i, ((VarCharVector) in).get(i));
          break;
        default:
          throw KilnException.unsupported("cannot convert a column of type " + type + " to Arrow");
      }
    }
  }

  private static void setNull(FieldVector v, int i) {
    if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector) {
      ((org.apache.arrow.vector.BaseFixedWidthVector) v).setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector) {
      ((org.apache.arrow.vector.BaseVariableWidthVector) v).setNull(i);
    } else {
      throw new IllegalStateException("cannot set NULL in " + v.getClass().getSimpleName());
    }
  }

  /**
   * The engine's internal vector for an Arrow vector holding SQL type {@code type} (normally
   * {@code DataType.fromArrow} of its field). The caller closes the result.
   */
  public static ValueVector toInternal(FieldVector arrow, DataType type, BufferAllocator allocator) {
    int n = arrow.getValueCount();
    String name = arrow.getName();
    ValueVector out = Vectors.allocate(type, name, allocator, n);
    try {
      for (int i = 0; i < n; i++) {
        if (arrow.isNull(i)) {
          Vectors.setNull(out, i);
          continue;
        }
        switch (type.kind()) {
          case BOOLEAN:
            ((BitVector) out).setSafe(i, ((BitVector) arrow).get(i));
            break;
          case DOUBLE:
            ((Float8Vector) out).setSafe(i, doubleAt(arrow, i, name));
            break;
          case STRING:
            ((VarCharVector) out).setSafe(i, bytesAt(arrow, i, name));
            break;
          default:
            ((BigIntVector) out).setSafe(i, longAt(arrow, type, i, name));
        }
      }
      out.setValueCount(n);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static double doubleAt(FieldVector v, int i, String name) {
    if (v instanceof Float8Vector) {
      return ((Float8Vector) v).get(i);
    }
    if (v instanceof Float4Vector) {
      return ((Float4Vector) v).get(i);
    }
    if (v instanceof BaseIntVector) {
      return ((BaseIntVector) v).getValueAsLong(i);
    }
    throw mismatch(v, name, "DOUBLE");
  }

  private static byte[] bytesAt(FieldVector v, int i, String name) {
    if (v instanceof VarCharVector) {
      return ((VarCharVector) v).get(i);
    }
    if (v instanceof LargeVarCharVector) {
      return ((LargeVarCharVector) v).get(i);
    }
    throw mismatch(v, name, "VARCHAR");
  }

  private static long longAt(FieldVector v, DataType type, int i, String name) {
    switch (type.id()) {
      case DECIMAL: {
        BigDecimal d;
        if (v instanceof DecimalVector) {
          d = ((DecimalVector) v).getObject(i);
        } else if (v instanceof Decimal256Vector) {
          d = ((Decimal256Vector) v).getObject(i);
        } else if (v instanceof BaseIntVector) {
          return Decimals.upscale(((BaseIntVector) v).getValueAsLong(i), type.scale());
        } else {
          throw mismatch(v, name, type.toString());
        }
        try {
          return Decimals.fromBigDecimal(d, type.scale());
        } catch (KilnException e) {
          throw KilnException.execution("column " + name + " row " + i + ": decimal " + d.toPlainString()
              + " does not fit Kiln's 18-digit encoding");
        }
      }
      case DATE:
        if (v instanceof DateDayVector) {
          return ((DateDayVector) v).get(i);
        }
        if (v instanceof DateMilliVector) {
          return Math.floorDiv(((DateMilliVector) v).get(i), 86_400_000L);
        }
        throw mismatch(v, name, "DATE");
      case TIMESTAMP:
        if (v instanceof TimeStampVector) {
          return toMicros(((TimeStampVector) v).get(i), ((ArrowType.Timestamp) v.getField().getType()).getUnit());
        }
        throw mismatch(v, name, "TIMESTAMP");
      default:
        if (v instanceof UInt8Vector) {
          long x = ((UInt8Vector) v).get(i);
          if (x < 0) {
            throw KilnException.execution("column " + name + " row " + i + ": unsigned value "
                + Long.toUnsignedString(x) + " does not fit BIGINT");
          }
          return x;
        }
        if (v instanceof BaseIntVector) {
          return ((BaseIntVector) v).getValueAsLong(i);
        }
        throw mismatch(v, name, type.toString());
    }
  }

  private static long toMicros(long value, org.apache.arrow.vector.types.TimeUnit unit) {
    switch (unit) {
      case SECOND:
        return Math.multiplyExact(value, 1_000_000L);
      case MILLISECOND:
        return Math.multiplyExact(value, 1_000L);
      case MICROSECOND:
        return value;
      default:
        return Math.floorDiv(value, 1_000L);
    }
  }

  private static KilnException mismatch(FieldVector v, String name, String type) {
    return KilnException.unsupported("column " + name + ": cannot read Arrow " + v.getField().getType() + " as " + type);
  }
}
