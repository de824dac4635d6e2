package io.kiln.datasource.parquet;

import io.kiln.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;

/**
 * Moves values from a Parquet {@link ColumnReader} straight into an internal vector: one loop per
 * decoding so the per-value work is a level check, a typed read and a store.
 */
final class ColumnDecoder implements ColumnValues {
  /** Julian day number of 1970-01-01, the epoch of INT96 timestamps' day part. */
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final ParquetColumn column;
  private final ColumnReader reader;
  private final int maxDef;
  private final String file;

  ColumnDecoder(ParquetColumn column, ColumnReader reader, String file) {
    this.column = column;
    this.reader = reader;
    this.maxDef = column.maxDefinitionLevel();
    this.file = file;
  }

  @Override
  public void read(ValueVector out, int n) {
    switch (column.decoding) {
      case BOOLEAN: {
        BitVector v = (BitVector) out;
        for (int i = 0; i < n; i++) {
          if (present()) {
            v.set(i, reader.getBoolean() ? 1 : 0);
          } else {
            v.setNull(i);
          }
          reader.consume();
        }
        break;
      }
      case FLOAT:
      case DOUBLE: {
        Float8Vector v = (Float8Vector) out;
        boolean single = column.decoding == ParquetColumn.Decoding.FLOAT;
        for (int i = 0; i < n; i++) {
          if (present()) {
            v.set(i, single ? reader.getFloat() : reader.getDouble());
          } else {
            v.setNull(i);
          }
          reader.consume();
        }
        break;
      }
      case STRING: {
        VarCharVector v = (VarCharVector) out;
        for (int i = 0; i < n; i++) {
          if (present()) {
            ByteBuffer b = reader.getBinary().toByteBuffer();
            v.setSafe(i, b, b.position(), b.remaining());
          } else {
            v.setNull(i);
          }
          reader.consume();
        }
        break;
      }
      default:
        readLongs((BigIntVector) out, n);
    }
  }

  private boolean present() {
    return reader.getCurrentDefinitionLevel() == maxDef;
  }

  private void readLongs(BigIntVector v, int n) {
    ParquetColumn.Decoding d = column.decoding;
    for (int i = 0; i < n; i++) {
      if (present()) {
        v.set(i, longValue(d));
      } else {
        v.setNull(i);
      }
      reader.consume();
    }
  }

  private long longValue(ParquetColumn.Decoding d) {
    switch (d) {
      case INT32:
        return reader.getInteger();
      case UINT32:
        return reader.getInteger() & 0xFFFF_FFFFL;
      case INT64:
      case TIMESTAMP_MICROS:
        return reader.getLong();
      case UINT64: {
        long x = reader.getLong();
        if (x < 0) {
          throw tooBig(Long.toUnsignedString(x));
        }
        return x;
      }
      case TIMESTAMP_MILLIS: {
        long ms = reader.getLong();
        try {
          return Math.multiplyExact(ms, 1000L);
        } catch (ArithmeticException e) {
          throw tooBig(ms + " ms");
        }
      }
      case TIMESTAMP_NANOS:
        return Math.floorDiv(reader.getLong(), 1000L);
      case INT96:
        return int96Micros(reader.getBinary());
      case DECIMAL_BYTES:
        return unscaled(reader.getBinary());
      default:
        throw new IllegalStateException("not a long decoding: " + d);
    }
  }

  /** INT96 (legacy Impala/Spark): 8 bytes nanos of day then 4 bytes Julian day, little endian. */
  private static long int96Micros(Binary b) {
    ByteBuffer buf = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buf.getLong(buf.position());
    long julianDay = buf.getInt(buf.position() + 8);
    return (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + nanosOfDay / 1000;
  }

  /** A big-endian two's complement decimal as a long, or an error if it needs more than 64 bits. */
  private long unscaled(Binary b) {
    ByteBuffer buf = b.toByteBuffer();
    int start = buf.position();
    int len = buf.remaining();
    if (len == 0) {
      return 0;
    }
    int low = Math.max(0, len - 8);
    long x = buf.get(start + low); // sign-extends from the first of the low 8 bytes
    for (int i = low + 1; i < len; i++) {
      x = (x << 8) | (buf.get(start + i) & 0xFF);
    }
    // Any bytes above the low 8 must be pure sign extension, or the value needs more than 64 bits.
    byte sign = (byte) (x < 0 ? -1 : 0);
    for (int i = 0; i < low; i++) {
      if (buf.get(start + i) != sign) {
        throw tooBig(new java.math.BigInteger(b.getBytes()) + " (unscaled)");
      }
    }
    return x;
  }

  private KilnException tooBig(String value) {
    return KilnException.execution("parquet file " + file + ": column " + column.name + " holds the value " + value
        + ", which does not fit Kiln's 64-bit encoding of " + column.type);
  }
}
