package io.kiln.server;

import io.kiln.Kiln;
import io.kiln.logical.ColumnRef;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One prepared statement of a client: its text, what kind of statement it is, the schema of its
 * answer, its parameters' types and the values last bound to them.
 */
final class PreparedQuery {
  /** How a statement runs: a query streams Arrow batches; text answers are EXPLAIN's lines; updates answer nothing. */
  enum Kind { QUERY, TEXT, UPDATE }

  private static final Set<String> QUERY_WORDS = Set.of("SELECT", "WITH", "VALUES", "FROM", "TABLE");
  private static final Set<String> TEXT_WORDS = Set.of("EXPLAIN", "DESCRIBE", "SHOW");

  final String sql;
  final Kind kind;
  final Schema resultSchema;
  final Schema parameterSchema;
  private final SqlParameters parameters;
  private volatile List<String> boundValues;

  private PreparedQuery(String sql, Kind kind, Schema resultSchema, SqlParameters parameters) {
    this.sql = sql;
    this.kind = kind;
    this.resultSchema = resultSchema;
    this.parameters = parameters;
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < parameters.count(); i++) {
      DataType t = parameters.types().get(i);
      // JDBC hands timestamps over as milliseconds (the driver would store them unscaled in a microsecond vector)
      org.apache.arrow.vector.types.pojo.FieldType type = t.id() == DataType.Id.TIMESTAMP
          ? org.apache.arrow.vector.types.pojo.FieldType.nullable(new org.apache.arrow.vector.types.pojo.ArrowType.Timestamp(
              org.apache.arrow.vector.types.TimeUnit.MILLISECOND, null))
          : t.toFieldType(true);
      fields.add(new Field("parameter_" + (i + 1), type, null));
    }
    this.parameterSchema = new Schema(fields);
  }

  /** Plans the statement (with NULLs for its parameters) for the schema of its answer; SQL errors surface here. */
  static PreparedQuery prepare(Kiln kiln, String sql, java.util.function.Function<String, DataType> columnType) {
    SqlParameters parameters = new SqlParameters(sql, columnType);
    String word = SqlTokens.firstWord(SqlTokens.of(sql));
    if (QUERY_WORDS.contains(word)) {
      List<Field> fields = new ArrayList<>();
      for (ColumnRef c : kiln.sql(parameters.withNulls()).logicalPlan().output()) {
        fields.add(new Field(c.name(), c.type().toFieldType(true), null));
      }
      return new PreparedQuery(sql, Kind.QUERY, new Schema(fields), parameters);
    }
    if (TEXT_WORDS.contains(word)) {
      String column = sql.toUpperCase(java.util.Locale.ROOT).contains("CODEGEN") ? "code" : "plan";
      return new PreparedQuery(sql, Kind.TEXT, new Schema(List.of(new Field(column,
          DataType.VARCHAR.toFieldType(true), null))), parameters);
    }
    return new PreparedQuery(sql, Kind.UPDATE, new Schema(List.of()), parameters);
  }

  /** Values for the parameters, as SQL literals (from the client's parameter batch). */
  void bind(List<String> values) {
    if (values.size() != parameters.count()) {
      throw new IllegalArgumentException("the statement has " + parameters.count() + " parameters, got "
          + values.size() + " values");
    }
    this.boundValues = List.copyOf(values);
  }

  /** The text to run: the statement with its bound values in place. */
  String boundSql() {
    if (parameters.count() == 0) {
      return sql;
    }
    List<String> values = boundValues;
    if (values == null) {
      throw new IllegalArgumentException("the statement has " + parameters.count()
          + " parameters and no values were bound");
    }
    return parameters.bind(values);
  }
}
