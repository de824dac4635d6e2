package io.kiln.types;

import io.kiln.error.KilnException;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The SQL type of a value or expression: what Arrow's types lack is SQL's decimal typing rules,
 * intervals and an untyped NULL. Inside the engine every type travels in one of four physical
 * kinds (see {@link PhysicalKind}) so that kernels are written once per kind.
 */
public final class DataType {
  public enum Id {
    NULL, BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL, DATE, TIMESTAMP, VARCHAR,
    /** Only for literals and date arithmetic: months and days, never stored in a column. */
    INTERVAL
  }

  public static final int MAX_PRECISION = 38;

  public static final DataType NULL = new DataType(Id.NULL, 0, 0);
  public static final DataType BOOLEAN = new DataType(Id.BOOLEAN, 0, 0);
  public static final DataType TINYINT = new DataType(Id.TINYINT, 3, 0);
  public static final DataType SMALLINT = new DataType(Id.SMALLINT, 5, 0);
  public static final DataType INTEGER = new DataType(Id.INTEGER, 10, 0);
  public static final DataType BIGINT = new DataType(Id.BIGINT, 19, 0);
  public static final DataType REAL = new DataType(Id.REAL, 0, 0);
  public static final DataType DOUBLE = new DataType(Id.DOUBLE, 0, 0);
  public static final DataType DATE = new DataType(Id.DATE, 0, 0);
  public static final DataType TIMESTAMP = new DataType(Id.TIMESTAMP, 0, 0);
  public static final DataType VARCHAR = new DataType(Id.VARCHAR, 0, 0);
  public static final DataType INTERVAL = new DataType(Id.INTERVAL, 0, 0);

  private final Id id;
  private final int precision;
  private final int scale;

  private DataType(Id id, int precision, int scale) {
    this.id = id;
    this.precision = precision;
    this.scale = scale;
  }

  public static DataType decimal(int precision, int scale) {
    if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
      throw KilnException.binding("invalid DECIMAL(" + precision + "," + scale + ")");
    }
    return new DataType(Id.DECIMAL, precision, scale);
  }

  public Id id() {
    return id;
  }

  /** Decimal digits; for integers the digits their range needs. */
  public int precision() {
    return precision;
  }

  public int scale() {
    return scale;
  }

  public PhysicalKind kind() {
    switch (id) {
      case BOOLEAN:
        return PhysicalKind.BOOLEAN;
      case REAL:
      case DOUBLE:
        return PhysicalKind.DOUBLE;
      case VARCHAR:
        return PhysicalKind.STRING;
      default:
        return PhysicalKind.LONG;
    }
  }

  public boolean isInteger() {
    return id == Id.TINYINT || id == Id.SMALLINT || id == Id.INTEGER || id == Id.BIGINT;
  }

  public boolean isExactNumeric() {
    return isInteger() || id == Id.DECIMAL;
  }

  public boolean isNumeric() {
    return isExactNumeric() || id == Id.REAL || id == Id.DOUBLE;
  }

  public boolean isTemporal() {
    return id == Id.DATE || id == Id.TIMESTAMP;
  }

  /** Decimal view of an exact numeric: integers are DECIMAL(p, 0). */
  public DataType asDecimal() {
    if (id == Id.DECIMAL) {
      return this;
    }
    if (isInteger()) {
      return decimal(precision, 0);
    }
    throw new IllegalStateException("not exact numeric: " + this);
  }

  /** The Arrow type a column of this type has at Kiln's boundaries (results, files). */
  public ArrowType toArrow() {
    switch (id) {
      case NULL:
        return ArrowType.Null.INSTANCE;
      case BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      case TINYINT:
        return new ArrowType.Int(8, true);
      case SMALLINT:
        return new ArrowType.Int(16, true);
      case INTEGER:
        return new ArrowType.Int(32, true);
      case BIGINT:
        return new ArrowType.Int(64, true);
      case REAL:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case DOUBLE:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case DECIMAL:
        return new ArrowType.Decimal(precision, scale, 128);
      case DATE:
        return new ArrowType.Date(DateUnit.DAY);
      case TIMESTAMP:
        return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case VARCHAR:
        return ArrowType.Utf8.INSTANCE;
      default:
        throw KilnException.unsupported("type " + this + " cannot be stored in a column");
    }
  }

  public FieldType toFieldType(boolean nullable) {
    return new FieldType(nullable, toArrow(), null);
  }

  /** The SQL type of an Arrow column, or a clear error for Arrow types Kiln does not read. */
  public static DataType fromArrow(ArrowType type, String columnName) {
    switch (type.getTypeID()) {
      case Bool:
        return BOOLEAN;
      case Int: {
        ArrowType.Int t = (ArrowType.Int) type;
        switch (t.getBitWidth()) {
          case 8:
            return t.getIsSigned() ? TINYINT : SMALLINT;
          case 16:
            return t.getIsSigned() ? SMALLINT : INTEGER;
          case 32:
            return t.getIsSigned() ? INTEGER : BIGINT;
          default:
            return BIGINT;
        }
      }
      case FloatingPoint:
        return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE ? REAL : DOUBLE;
      case Decimal: {
        ArrowType.Decimal d = (ArrowType.Decimal) type;
        if (d.getPrecision() > 18) {
          // Values are carried as scaled longs: wider declared decimals work while values fit.
          return decimal(Math.min(d.getPrecision(), MAX_PRECISION), d.getScale());
        }
        return decimal(d.getPrecision(), d.getScale());
      }
      case Date:
        return DATE;
      case Timestamp:
        return TIMESTAMP;
      case Utf8:
      case LargeUtf8:
        return VARCHAR;
      case Null:
        return NULL;
      default:
        throw KilnException.unsupported("column " + columnName + " has Arrow type " + type + ", which Kiln does not support");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DataType)) {
      return false;
    }
    DataType other = (DataType) o;
    return id == other.id && precision == other.precision && scale == other.scale;
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 * 31 + precision * 31 + scale;
  }

  @Override
  public String toString() {
    return id == Id.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : id.name();
  }
}
