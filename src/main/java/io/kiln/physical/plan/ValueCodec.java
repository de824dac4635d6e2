package io.kiln.physical.plan;

import io.kiln.logical.Interval;
import io.kiln.logical.Literal;
import io.kiln.physical.plan.proto.PlanProtos;
import io.kiln.physical.plan.proto.PlanProtos.ScalarValue;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Values to and from the plan format's {@code ScalarValue}: a literal's value, which is in the
 * engine's encoding (a DECIMAL's unscaled Long, a DATE's epoch-day Long, ...; see {@link Literal}),
 * and a column predicate's value, which is a plain Java object (BigDecimal, LocalDate, ...; see
 * {@link io.kiln.catalog.ColumnPredicate}). Both are written by meaning, so decimals stay exact.
 */
final class ValueCodec {
  private static final ScalarValue NULL =
      ScalarValue.newBuilder().setNullValue(PlanProtos.SqlNull.getDefaultInstance()).build();

  private ValueCodec() {}

  // ---------------------------------------------------------------- literals

  static PlanProtos.Literal toProto(Literal l) {
    return PlanProtos.Literal.newBuilder().setType(TypeCodec.toProto(l.type())).setValue(literalValue(l)).build();
  }

  static Literal fromProto(PlanProtos.Literal l) {
    DataType type = TypeCodec.fromProto(l.getType());
    ScalarValue v = l.getValue();
    if (v.getValueCase() == ScalarValue.ValueCase.NULL_VALUE) {
      return Literal.nullOf(type);
    }
    if (v.getValueCase() == ScalarValue.ValueCase.VALUE_NOT_SET) {
      throw PlanFormatErrors.unknownKind("a " + type + " literal's value", v);
    }
    if (v.getValueCase() != valueCaseOf(type)) {
      throw PlanFormatErrors.invalid("a " + type + " literal holds a " + v.getValueCase());
    }
    Object value = switch (type.id()) {
      case BOOLEAN -> Boolean.valueOf(v.getBooleanValue());
      case TINYINT, SMALLINT, INTEGER, BIGINT -> Long.valueOf(v.getIntegerValue());
      case REAL, DOUBLE -> Double.valueOf(v.getDoubleValue());
      case DECIMAL -> Long.valueOf(unscaledLong(v.getDecimalValue(), type));
      case DATE -> Long.valueOf(v.getDateValue());
      case TIMESTAMP -> Long.valueOf(v.getTimestampValue());
      case VARCHAR -> v.getStringValue();
      case INTERVAL -> interval(v.getIntervalValue());
      case NULL -> throw new IllegalStateException("valueCaseOf(NULL) accepts only NULL");
    };
    return new Literal(value, type);
  }

  private static ScalarValue literalValue(Literal l) {
    if (l.isNull()) {
      return NULL;
    }
    ScalarValue.Builder b = ScalarValue.newBuilder();
    switch (l.type().id()) {
      case BOOLEAN -> b.setBooleanValue(held(l, Boolean.class));
      case TINYINT, SMALLINT, INTEGER, BIGINT -> b.setIntegerValue(held(l, Long.class));
      case REAL, DOUBLE -> b.setDoubleValue(held(l, Double.class));
      case DECIMAL -> b.setDecimalValue(decimal(BigInteger.valueOf(held(l, Long.class)), l.type().scale()));
      case DATE -> b.setDateValue(held(l, Long.class));
      case TIMESTAMP -> b.setTimestampValue(held(l, Long.class));
      case VARCHAR -> b.setStringValue(held(l, String.class));
      case INTERVAL -> b.setIntervalValue(interval(held(l, Interval.class)));
      case NULL -> throw new IllegalArgumentException("a NULL-typed literal holds " + l.value());
    }
    return b.build();
  }

  /** The literal's value as {@code expected}, the class the engine uses for its type. */
  private static <T> T held(Literal l, Class<T> expected) {
    if (!expected.isInstance(l.value())) {
      throw new IllegalArgumentException("a " + l.type() + " literal holds a " + l.value().getClass().getSimpleName()
          + ", not a " + expected.getSimpleName());
    }
    return expected.cast(l.value());
  }

  /** The one kind of value a non-null literal of {@code type} may hold; null for the NULL type. */
  private static ScalarValue.ValueCase valueCaseOf(DataType type) {
    return switch (type.id()) {
      case NULL -> ScalarValue.ValueCase.NULL_VALUE;
      case BOOLEAN -> ScalarValue.ValueCase.BOOLEAN_VALUE;
      case TINYINT, SMALLINT, INTEGER, BIGINT -> ScalarValue.ValueCase.INTEGER_VALUE;
      case REAL, DOUBLE -> ScalarValue.ValueCase.DOUBLE_VALUE;
      case DECIMAL -> ScalarValue.ValueCase.DECIMAL_VALUE;
      case DATE -> ScalarValue.ValueCase.DATE_VALUE;
      case TIMESTAMP -> ScalarValue.ValueCase.TIMESTAMP_VALUE;
      case VARCHAR -> ScalarValue.ValueCase.STRING_VALUE;
      case INTERVAL -> ScalarValue.ValueCase.INTERVAL_VALUE;
    };
  }

  /** A DECIMAL literal's unscaled value: the engine carries decimals as longs at the type's scale. */
  private static long unscaledLong(PlanProtos.Decimal d, DataType type) {
    if (d.getScale() != type.scale()) {
      throw PlanFormatErrors.invalid("a " + type + " literal with scale " + d.getScale());
    }
    BigInteger unscaled = unscaled(d);
    if (unscaled.bitLength() > 63) {
      throw PlanFormatErrors.invalid("a " + type + " literal's unscaled value " + unscaled + " does not fit in 64 bits");
    }
    return unscaled.longValue();
  }

  // ---------------------------------------------------------------- predicate values

  /** A column predicate's value (the Java classes {@link io.kiln.catalog.ColumnPredicate} holds). */
  static ScalarValue javaValue(Object v) {
    ScalarValue.Builder b = ScalarValue.newBuilder();
    if (v == null) {
      return NULL;
    } else if (v instanceof Long l) {
      b.setIntegerValue(l);
    } else if (v instanceof BigDecimal d) {
      b.setDecimalValue(decimal(d.unscaledValue(), d.scale()));
    } else if (v instanceof LocalDate d) {
      b.setDateValue(d.toEpochDay());
    } else if (v instanceof LocalDateTime t) {
      if (t.getNano() % 1000 != 0) {
        throw new IllegalArgumentException("timestamp " + t + " is finer than the microseconds plans carry");
      }
      b.setTimestampValue(io.kiln.types.Timestamps.toMicros(t));
    } else if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Double d) {
      b.setDoubleValue(d);
    } else if (v instanceof Boolean x) {
      b.setBooleanValue(x);
    } else if (v instanceof Interval i) {
      b.setIntervalValue(interval(i));
    } else {
      throw new IllegalArgumentException("a column predicate value of Java type " + v.getClass().getName()
          + " has no plan encoding");
    }
    return b.build();
  }

  static Object javaValue(ScalarValue v) {
    return switch (v.getValueCase()) {
      case NULL_VALUE -> null;
      case BOOLEAN_VALUE -> v.getBooleanValue();
      case INTEGER_VALUE -> v.getIntegerValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case DECIMAL_VALUE -> new BigDecimal(unscaled(v.getDecimalValue()), v.getDecimalValue().getScale());
      case DATE_VALUE -> LocalDate.ofEpochDay(v.getDateValue());
      case TIMESTAMP_VALUE -> io.kiln.types.Timestamps.fromMicros(v.getTimestampValue());
      case STRING_VALUE -> v.getStringValue();
      case INTERVAL_VALUE -> interval(v.getIntervalValue());
      case VALUE_NOT_SET -> throw PlanFormatErrors.unknownKind("a column predicate value", v);
    };
  }

  // ---------------------------------------------------------------- shared parts

  private static PlanProtos.Decimal decimal(BigInteger unscaled, int scale) {
    return PlanProtos.Decimal.newBuilder()
        .setUnscaled(com.google.protobuf.ByteString.copyFrom(unscaled.toByteArray())).setScale(scale).build();
  }

  private static BigInteger unscaled(PlanProtos.Decimal d) {
    if (d.getUnscaled().isEmpty()) {
      throw PlanFormatErrors.invalid("a decimal without its unscaled value");
    }
    return new BigInteger(d.getUnscaled().toByteArray());
  }

  private static PlanProtos.Interval interval(Interval i) {
    return PlanProtos.Interval.newBuilder().setMonths(i.months()).setDays(i.days()).build();
  }

  private static Interval interval(PlanProtos.Interval i) {
    return new Interval(i.getMonths(), i.getDays());
  }
}
