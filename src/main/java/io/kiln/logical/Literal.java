package io.kiln.logical;

import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.Timestamps;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A constant in the engine's encoding: Long for integers, decimals (unscaled), dates (epoch days)
 * and timestamps (micros); Double; Boolean; String; {@link Interval}; null for SQL NULL.
 */
public final class Literal extends Expr {
  private final Object value;
  private final DataType type;

  public Literal(Object value, DataType type) {
    this.value = value;
    this.type = type;
  }

  public static Literal nullOf(DataType type) {
    return new Literal(null, type);
  }

  public static Literal ofBoolean(boolean b) {
    return new Literal(b, DataType.BOOLEAN);
  }

  public static Literal of(String s) {
    return new Literal(s, DataType.VARCHAR);
  }

  public static Literal ofLong(long v) {
    return new Literal(v, DataType.BIGINT);
  }

  public Object value() {
    return value;
  }

  public boolean isNull() {
    return value == null;
  }

  /** The value as a user-facing Java object (BigDecimal, LocalDate, ...). */
  public Object javaValue() {
    if (value == null) {
      return null;
    }
    switch (type.id()) {
      case DECIMAL:
        return Decimals.toBigDecimal((Long) value, type.scale());
      case DATE:
        return LocalDate.ofEpochDay((Long) value);
      case TIMESTAMP:
        return Timestamps.fromMicros((Long) value);
      default:
        return value;
    }
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public List<Expr> children() {
    return List.of();
  }

  @Override
  public Expr withChildren(List<Expr> children) {
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Literal)) {
      return false;
    }
    Literal l = (Literal) o;
    return Objects.equals(value, l.value) && type.equals(l.type);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, type);
  }

  @Override
  public String toString() {
    if (value == null) {
      return "NULL";
    }
    Object v = javaValue();
    if (v instanceof String) {
      return "'" + ((String) v).replace("'", "''") + "'";
    }
    if (type.id() == DataType.Id.DATE) {
      return "DATE '" + v + "'";
    }
    return String.valueOf(v);
  }
}
