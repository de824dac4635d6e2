package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns stored Parquet values into Kiln's internal encoding (integers, decimals, dates and
 * timestamps as one {@code long}), one value at a time. The page decoders have bulk loops for the
 * common cases; these are the shared definitions, and the error when a value does not fit.
 */
final class StoredValues {
  /** Julian day number of 1970-01-01, the epoch of INT96 timestamps' day part. */
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final ParquetColumn column;
  private final String where;

  StoredValues(ParquetColumn column, String where) {
    this.column = column;
    this.where = where;
  }

  String where() {
    return where;
  }

  /** An INT32 value (INT32 or UINT32 decodings). */
  long fromInt(int v) {
    return column.decoding == ParquetColumn.Decoding.UINT32 ? v & 0xFFFF_FFFFL : v;
  }

  /** An INT64 value (integer, decimal and timestamp decodings). */
  long fromLong(long v) {
    switch (column.decoding) {
      case UINT64:
        if (v < 0) {
          throw tooBig(Long.toUnsignedString(v));
        }
        return v;
      case TIMESTAMP_MILLIS:
        return millisToMicros(v);
      case TIMESTAMP_NANOS:
        return Math.floorDiv(v, 1000L);
      default:
        return v;
    }
  }

  long millisToMicros(long ms) {
    if (ms > Long.MAX_VALUE / 1000 || ms < Long.MIN_VALUE / 1000) {
      throw tooBig(ms + " ms");
    }
    return ms * 1000L;
  }

  /** A byte-array value: INT96 timestamps and BINARY/FIXED_LEN_BYTE_ARRAY decimals. */
  long fromBytes(ByteBuffer b, int off, int len) {
    return column.decoding == ParquetColumn.Decoding.INT96 ? int96Micros(b, off, len) : unscaled(b, off, len);
  }

  /** INT96 (legacy Impala/Spark): 8 bytes nanos of day then 4 bytes Julian day, little endian. */
  private long int96Micros(ByteBuffer b, int off, int len) {
    if (len != 12) {
      throw KilnException.io(where + ": an INT96 value has " + len + " bytes, not 12 (corrupt file?)", null);
    }
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = le.getLong(off);
    long julianDay = le.getInt(off + 8);
    return (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + nanosOfDay / 1000;
  }

  /** A big-endian two's complement decimal as a long, or an error if it needs more than 64 bits. */
  long unscaled(ByteBuffer b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int low = Math.max(0, len - 8);
    long x = b.get(off + low); // sign-extends from the first of the low 8 bytes
    for (int i = low + 1; i < len; i++) {
      x = (x << 8) | (b.get(off + i) & 0xFF);
    }
    // Any bytes above the low 8 must be pure sign extension, or the value needs more than 64 bits.
    byte sign = (byte) (x < 0 ? -1 : 0);
    for (int i = 0; i < low; i++) {
      if (b.get(off + i) != sign) {
        byte[] bytes = new byte[len];
        b.duplicate().position(off).get(bytes);
        throw tooBig(new BigInteger(bytes) + " (unscaled)");
      }
    }
    return x;
  }

  KilnException tooBig(String value) {
    return KilnException.execution(where + ": column " + column.name + " holds the value " + value
        + ", which does not fit Kiln's 64-bit encoding of " + column.type);
  }

  KilnException corrupt(String what) {
    return KilnException.io("cannot decode " + where + ": " + what + " (truncated or corrupt file?)", null);
  }
}
