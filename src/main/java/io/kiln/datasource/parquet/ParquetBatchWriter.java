package io.kiln.datasource.parquet;

import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes batches in the engine's encoding to a Parquet file (snappy), with the types DuckDB
 * writes for the same SQL types: integers as INT32/INT64 with their width, DECIMAL as INT32/INT64
 * (or 16 bytes above 18 digits), DATE, TIMESTAMP in microseconds, VARCHAR as UTF-8 strings. Every
 * column is OPTIONAL.
 */
public final class ParquetBatchWriter implements AutoCloseable {
  private final Path file;
  private final ParquetWriter<Row> writer;
  private final Row row;
  private long rows;

  /** Creates (or overwrites) {@code file} for columns of these names and types. */
  public ParquetBatchWriter(Path file, List<String> names, List<DataType> types) {
    this.file = file;
    this.row = new Row(types);
    MessageType schema = schema(names, types);
    try {
      this.writer = new Builder(new LocalOutputFile(file), schema, names)
          .withConf(new PlainParquetConfiguration())
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .build();
    } catch (IOException e) {
      throw KilnException.io("cannot create parquet file " + file + ": " + e.getMessage(), e);
    }
  }

  static MessageType schema(List<String> names, List<DataType> types) {
    List<Type> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fields.add(field(names.get(i), types.get(i)));
    }
    return new MessageType("schema", fields);
  }

  private static Type field(String name, DataType type) {
    switch (type.id()) {
      case BOOLEAN:
        return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case TINYINT:
        return Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true)).named(name);
      case SMALLINT:
        return Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true)).named(name);
      case INTEGER:
        return Types.optional(PrimitiveTypeName.INT32).named(name);
      case BIGINT:
        return Types.optional(PrimitiveTypeName.INT64).named(name);
      case REAL:
        return Types.optional(PrimitiveTypeName.FLOAT).named(name);
      case DOUBLE:
        return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case DECIMAL: {
        LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(type.scale(), type.precision());
        if (type.precision() <= 9) {
          return Types.optional(PrimitiveTypeName.INT32).as(decimal).named(name);
        }
        if (type.precision() <= 18) {
          return Types.optional(PrimitiveTypeName.INT64).as(decimal).named(name);
        }
        return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(16).as(decimal).named(name);
      }
      case DATE:
        return Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
      case TIMESTAMP:
        return Types.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
      case VARCHAR:
        return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
      default:
        throw KilnException.unsupported("writing a " + type + " column (" + name + ") to parquet");
    }
  }

  /** Appends the batch's rows; the caller keeps the batch. */
  public void write(Batch batch) {
    row.batch = batch;
    try {
      for (int r = 0; r < batch.rowCount(); r++) {
        row.index = r;
        writer.write(row);
      }
    } catch (IOException e) {
      throw KilnException.io("cannot write parquet file " + file + ": " + e.getMessage(), e);
    } finally {
      row.batch = null;
    }
    rows += batch.rowCount();
  }

  public long rowsWritten() {
    return rows;
  }

  /** Finishes the file (its footer); until then it is not a valid Parquet file. */
  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw KilnException.io("cannot finish parquet file " + file + ": " + e.getMessage(), e);
    }
  }

  /** One row of a batch, as the writer's record: the batch and the row's index in it. */
  private static final class Row {
    final List<DataType> types;
    Batch batch;
    int index;

    Row(List<DataType> types) {
      this.types = types;
    }
  }

  private static final class RowWriteSupport extends WriteSupport<Row> {
    private final MessageType schema;
    private final List<String> names;
    private RecordConsumer consumer;

    RowWriteSupport(MessageType schema, List<String> names) {
      this.schema = schema;
      this.names = names;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
      consumer.startMessage();
      for (int c = 0; c < names.size(); c++) {
        ValueVector v = row.batch.column(c);
        if (v.isNull(row.index)) {
          continue;
        }
        consumer.startField(names.get(c), c);
        value(v, row.types.get(c), row.index);
        consumer.endField(names.get(c), c);
      }
      consumer.endMessage();
    }

    private void value(ValueVector v, DataType type, int i) {
      switch (type.id()) {
        case BOOLEAN:
          consumer.addBoolean(((BitVector) v).get(i) != 0);
          break;
        case TINYINT: case SMALLINT: case INTEGER: case DATE:
          consumer.addInteger((int) ((BigIntVector) v).get(i));
          break;
        case BIGINT: case TIMESTAMP:
          consumer.addLong(((BigIntVector) v).get(i));
          break;
        case DECIMAL: {
          long unscaled = ((BigIntVector) v).get(i);
          if (type.precision() <= 9) {
            consumer.addInteger((int) unscaled);
          } else if (type.precision() <= 18) {
            consumer.addLong(unscaled);
          } else {
            byte[] bytes = new byte[16];
            for (int b = 15; b >= 0; b--) {
              bytes[b] = (byte) unscaled; // big-endian two's complement, sign-extended
              unscaled >>= 8;
            }
            consumer.addBinary(Binary.fromConstantByteArray(bytes));
          }
          break;
        }
        case REAL:
          consumer.addFloat((float) ((Float8Vector) v).get(i));
          break;
        case DOUBLE:
          consumer.addDouble(((Float8Vector) v).get(i));
          break;
        default:
          consumer.addBinary(Binary.fromConstantByteArray(((VarCharVector) v).get(i)));
      }
    }
  }

  /** parquet-hadoop's writer builder for a plain {@link OutputFile}. */
  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final MessageType schema;
    private final List<String> names;

    Builder(OutputFile file, MessageType schema, List<String> names) {
      super(file);
      this.schema = schema;
      this.names = names;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, names);
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
      return new RowWriteSupport(schema, names);
    }
  }
}
