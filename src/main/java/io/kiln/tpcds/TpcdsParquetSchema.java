package io.kiln.tpcds;

import io.trino.tpcds.Table;
import io.trino.tpcds.column.Column;
import io.trino.tpcds.column.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet layout of one TPC-DS table and how the generator's text values become typed
 * Parquet values: surrogate keys ({@code IDENTIFIER}) BIGINT, other integers INTEGER, decimals
 * DECIMAL(p,s) as the spec declares them, dates DATE, CHAR and VARCHAR both
 * STRING. Every column is OPTIONAL: dsdgen leaves values out (as Java nulls) in most columns.
 */
final class TpcdsParquetSchema {
  /** Parses one generated text value and adds it to the record. */
  private interface ValueWriter {
    void write(RecordConsumer out, String value);
  }

  private final String table;
  private final MessageType schema;
  private final String[] names;
  private final ValueWriter[] writers;

  TpcdsParquetSchema(Table table) {
    this.table = table.getName();
    Column[] columns = table.getColumns();
    List<Type> fields = new ArrayList<>();
    names = new String[columns.length];
    writers = new ValueWriter[columns.length];
    for (int i = 0; i < columns.length; i++) {
      Column c = columns[i];
      names[i] = c.getName();
      ColumnType type = c.getType();
      switch (type.getBase()) {
        case IDENTIFIER:
          fields.add(Types.optional(PrimitiveTypeName.INT64).named(names[i]));
          writers[i] = (out, v) -> out.addLong(Long.parseLong(v));
          break;
        case INTEGER:
          fields.add(Types.optional(PrimitiveTypeName.INT32).named(names[i]));
          writers[i] = (out, v) -> out.addInteger(Integer.parseInt(v));
          break;
        case DATE:
          fields.add(Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(names[i]));
          writers[i] = (out, v) -> out.addInteger(Math.toIntExact(LocalDate.parse(v).toEpochDay()));
          break;
        case DECIMAL: {
          int precision = type.getPrecision().orElseThrow();
          int scale = type.getScale().orElseThrow();
          // The spec's decimals have at most 15 digits; up to 9 fit an INT32, as Parquet asks.
          boolean small = precision <= 9;
          fields.add(Types.optional(small ? PrimitiveTypeName.INT32 : PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.decimalType(scale, precision)).named(names[i]));
          // setScale without rounding: a value with more digits than the spec's scale is a generator bug.
          writers[i] = small
              ? (out, v) -> out.addInteger(new BigDecimal(v).setScale(scale).unscaledValue().intValueExact())
              : (out, v) -> out.addLong(new BigDecimal(v).setScale(scale).unscaledValue().longValueExact());
          break;
        }
        case CHAR:
        case VARCHAR:
          fields.add(Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(names[i]));
          writers[i] = (out, v) -> out.addBinary(Binary.fromString(v));
          break;
        default:
          throw new IllegalStateException("unexpected TPC-DS column type " + type.getBase() + " of " + names[i]);
      }
    }
    schema = new MessageType(this.table, fields);
  }

  MessageType schema() {
    return schema;
  }

  /** One generated row (the table's values in column order, null where dsdgen leaves one out). */
  void write(RecordConsumer out, List<String> row) {
    if (row.size() != names.length) {
      throw new IllegalStateException("TPC-DS " + table + " row has " + row.size() + " values, the table "
          + names.length + " columns");
    }
    out.startMessage();
    for (int i = 0; i < names.length; i++) {
      String value = row.get(i);
      if (value == null) {
        continue; // an absent optional field is a null
      }
      out.startField(names[i], i);
      try {
        writers[i].write(out, value);
      } catch (RuntimeException e) {
        throw new IllegalStateException("TPC-DS " + table + "." + names[i] + ": cannot write value '" + value
            + "': " + e.getMessage(), e);
      }
      out.endField(names[i], i);
    }
    out.endMessage();
  }
}
