package io.kiln.server;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/** SQL text for parameter values (typed literals Kiln parses back to the same value) and type names. */
final class SqlLiterals {
  private SqlLiterals() {}

  /** The value at {@code row} of a parameter vector the client sent, as a literal of its type. */
  static String of(FieldVector v, int row) {
    if (v.isNull(row)) {
      return nullOf(DataType.fromArrow(v.getField().getType(), v.getName()));
    }
    if (v instanceof BitVector) {
      return ((BitVector) v).get(row) != 0 ? "TRUE" : "FALSE";
    }
    if (v instanceof BaseIntVector) {
      DataType t = DataType.fromArrow(v.getField().getType(), v.getName());
      return "CAST(" + ((BaseIntVector) v).getValueAsLong(row) + " AS " + typeName(t) + ")";
    }
    if (v instanceof FloatingPointVector) {
      double d = ((FloatingPointVector) v).getValueAsDouble(row);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw KilnException.unsupported("parameter " + v.getName() + ": " + d + " has no SQL literal in Kiln");
      }
      DataType t = DataType.fromArrow(v.getField().getType(), v.getName());
      return "CAST(" + new BigDecimal(Double.toString(d)).toPlainString() + " AS " + typeName(t) + ")";
    }
    if (v instanceof DecimalVector) {
      // A bare literal keeps the value's scale; JSqlParser cannot parse CAST(x AS DECIMAL(p,s)) inside BETWEEN.
      return ((DecimalVector) v).getObject(row).toPlainString();
    }
    if (v instanceof DateDayVector) {
      return "DATE '" + LocalDate.ofEpochDay(((DateDayVector) v).get(row)) + "'";
    }
    if (v instanceof DateMilliVector) {
      return "DATE '" + ((DateMilliVector) v).getObject(row).toLocalDate() + "'";
    }
    if (v instanceof TimeStampVector) {
      Object o = v.getObject(row);
      LocalDateTime t = o instanceof LocalDateTime ? (LocalDateTime) o : null;
      if (t == null) {
        throw KilnException.unsupported("parameter " + v.getName() + ": timestamps with a time zone");
      }
      return "TIMESTAMP '" + t.toLocalDate() + " " + t.toLocalTime() + "'";
    }
    if (v instanceof VarCharVector) {
      return quoted(new String(((VarCharVector) v).get(row), java.nio.charset.StandardCharsets.UTF_8));
    }
    throw KilnException.unsupported("parameter " + v.getName() + " of Arrow type " + v.getField().getType());
  }

  /** A NULL of type {@code t} (a DECIMAL NULL without precision, for the same parser limit). */
  static String nullOf(DataType t) {
    if (t.id() == DataType.Id.NULL) {
      return "NULL";
    }
    return "CAST(NULL AS " + (t.id() == DataType.Id.DECIMAL ? "DECIMAL" : typeName(t)) + ")";
  }

  static String quoted(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** The SQL name of a type, as CAST takes it. */
  static String typeName(DataType t) {
    switch (t.id()) {
      case DECIMAL:
        return "DECIMAL(" + t.precision() + "," + t.scale() + ")";
      case NULL:
        return "VARCHAR";
      default:
        return t.id().name();
    }
  }

  /** The type named from token {@code i} on (e.g. {@code DECIMAL ( 15 , 2 )}); null if not a known name. */
  static DataType parseType(List<SqlTokens.Token> tokens, int i) {
    String name = tokens.get(i).text().toUpperCase(Locale.ROOT);
    switch (name) {
      case "BOOLEAN":
        return DataType.BOOLEAN;
      case "TINYINT":
        return DataType.TINYINT;
      case "SMALLINT":
        return DataType.SMALLINT;
      case "INT":
      case "INTEGER":
        return DataType.INTEGER;
      case "BIGINT":
        return DataType.BIGINT;
      case "REAL":
      case "FLOAT":
        return DataType.REAL;
      case "DOUBLE":
        return DataType.DOUBLE;
      case "DATE":
        return DataType.DATE;
      case "TIMESTAMP":
        return DataType.TIMESTAMP;
      case "VARCHAR":
      case "TEXT":
      case "STRING":
        return DataType.VARCHAR;
      case "DECIMAL":
      case "NUMERIC":
        if (i + 5 < tokens.size() && tokens.get(i + 1).is("(") && tokens.get(i + 3).is(",")) {
          return DataType.decimal(Integer.parseInt(tokens.get(i + 2).text()), Integer.parseInt(tokens.get(i + 4).text()));
        }
        return DataType.decimal(18, 3);
      default:
        return null;
    }
  }
}
