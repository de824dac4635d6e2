package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.datasource.parquet.ParquetColumn.Decoding;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/** Maps a Parquet file schema to Arrow fields and decoders; flat schemas only. */
final class ParquetSchemaMapper {
  private ParquetSchemaMapper() {}

  static List<ParquetColumn> map(MessageType schema, String file) {
    List<ParquetColumn> columns = new ArrayList<>();
    for (Type t : schema.getFields()) {
      if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
        throw KilnException.unsupported("parquet file " + file + ": column " + t.getName()
            + " is nested or repeated (" + t + "); Kiln reads flat columns only");
      }
      PrimitiveType p = t.asPrimitiveType();
      boolean nullable = !p.isRepetition(Type.Repetition.REQUIRED);
      Mapping m = mapPrimitive(p, file);
      Field field = new Field(p.getName(), new FieldType(nullable, m.arrow, null), null);
      DataType type = DataType.fromArrow(m.arrow, p.getName());
      columns.add(new ParquetColumn(p.getName(), schema.getColumnDescription(new String[] {p.getName()}), field, type, m.decoding));
    }
    return columns;
  }

  private static final class Mapping {
    final ArrowType arrow;
    final Decoding decoding;

    Mapping(ArrowType arrow, Decoding decoding) {
      this.arrow = arrow;
      this.decoding = decoding;
    }
  }

  private static Mapping mapPrimitive(PrimitiveType p, String file) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        if (a == null) {
          return new Mapping(ArrowType.Bool.INSTANCE, Decoding.BOOLEAN);
        }
        break;
      case INT32:
        if (a == null) {
          return new Mapping(new ArrowType.Int(32, true), Decoding.INT32);
        }
        if (a instanceof IntLogicalTypeAnnotation) {
          IntLogicalTypeAnnotation i = (IntLogicalTypeAnnotation) a;
          if (i.isSigned()) {
            return new Mapping(new ArrowType.Int(i.getBitWidth(), true), Decoding.INT32);
          }
          // Unsigned values get the next wider signed type so every value fits.
          return i.getBitWidth() == 32
              ? new Mapping(new ArrowType.Int(64, true), Decoding.UINT32)
              : new Mapping(new ArrowType.Int(i.getBitWidth() * 2, true), Decoding.INT32);
        }
        if (a instanceof DecimalLogicalTypeAnnotation) {
          return decimal((DecimalLogicalTypeAnnotation) a, Decoding.INT32);
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return new Mapping(new ArrowType.Date(DateUnit.DAY), Decoding.INT32);
        }
        break;
      case INT64:
        if (a == null) {
          return new Mapping(new ArrowType.Int(64, true), Decoding.INT64);
        }
        if (a instanceof IntLogicalTypeAnnotation) {
          IntLogicalTypeAnnotation i = (IntLogicalTypeAnnotation) a;
          // No wider signed type exists for UINT64: values above Long.MAX_VALUE are an error on read.
          return new Mapping(new ArrowType.Int(64, true), i.isSigned() ? Decoding.INT64 : Decoding.UINT64);
        }
        if (a instanceof DecimalLogicalTypeAnnotation) {
          return decimal((DecimalLogicalTypeAnnotation) a, Decoding.INT64);
        }
        if (a instanceof TimestampLogicalTypeAnnotation) {
          switch (((TimestampLogicalTypeAnnotation) a).getUnit()) {
            case MILLIS:
              return timestamp(Decoding.TIMESTAMP_MILLIS);
            case MICROS:
              return timestamp(Decoding.TIMESTAMP_MICROS);
            default:
              return timestamp(Decoding.TIMESTAMP_NANOS);
          }
        }
        break;
      case INT96:
        return timestamp(Decoding.INT96);
      case FLOAT:
        if (a == null) {
          return new Mapping(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), Decoding.FLOAT);
        }
        break;
      case DOUBLE:
        if (a == null) {
          return new Mapping(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), Decoding.DOUBLE);
        }
        break;
      case BINARY:
        if (a == null || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return new Mapping(ArrowType.Utf8.INSTANCE, Decoding.STRING);
        }
        if (a instanceof DecimalLogicalTypeAnnotation) {
          return decimal((DecimalLogicalTypeAnnotation) a, Decoding.DECIMAL_BYTES);
        }
        break;
      case FIXED_LEN_BYTE_ARRAY:
        if (a instanceof DecimalLogicalTypeAnnotation) {
          return decimal((DecimalLogicalTypeAnnotation) a, Decoding.DECIMAL_BYTES);
        }
        break;
      default:
        break;
    }
    throw KilnException.unsupported("parquet file " + file + ": column " + p.getName() + " has type " + p
        + ", which Kiln does not read");
  }

  private static Mapping decimal(DecimalLogicalTypeAnnotation d, Decoding decoding) {
    return new Mapping(new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128), decoding);
  }

  private static Mapping timestamp(Decoding decoding) {
    return new Mapping(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null), decoding);
  }
}
