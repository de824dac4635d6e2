package io.kiln.datasource.parquet;

import io.kiln.types.DataType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;

/**
 * One top-level Parquet leaf column as Kiln sees it: its Arrow field, its SQL type and how its
 * stored values turn into the engine's internal encoding.
 */
final class ParquetColumn {
  /** How stored values are decoded; chosen once per column so the row loop has no type tests. */
  enum Decoding {
    INT32, UINT32, INT64, UINT64, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS, INT96,
    DECIMAL_BYTES, BOOLEAN, FLOAT, DOUBLE, STRING
  }

  final String name;
  final ColumnDescriptor descriptor;
  final Field field;
  final DataType type;
  final Decoding decoding;

  ParquetColumn(String name, ColumnDescriptor descriptor, Field field, DataType type, Decoding decoding) {
    this.name = name;
    this.descriptor = descriptor;
    this.field = field;
    this.type = type;
    this.decoding = decoding;
  }

  int maxDefinitionLevel() {
    return descriptor.getMaxDefinitionLevel();
  }
}
