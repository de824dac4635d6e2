package io.kiln.server;

import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code ?} placeholders of a prepared statement and the type each one takes from where it
 * stands: beside a column in a comparison, arithmetic, BETWEEN or IN list (the column's type),
 * inside {@code CAST(? AS type)} (that type), or after LIKE (VARCHAR); VARCHAR elsewhere. Kiln's
 * SQL has no placeholders of its own, so {@link #bind} writes each value into the text as a typed
 * literal.
 */
final class SqlParameters {
  private static final Set<String> OPERATORS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/");

  private final String sql;
  private final List<SqlTokens.Token> placeholders = new ArrayList<>();
  private final List<DataType> types = new ArrayList<>();

  /** {@code columnType} gives the type of a column named in the statement, or null if none has that name. */
  SqlParameters(String sql, Function<String, DataType> columnType) {
    this.sql = sql;
    List<SqlTokens.Token> tokens = SqlTokens.of(sql);
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).is("?")) {
        placeholders.add(tokens.get(i));
        DataType t = inferred(tokens, i, columnType);
        types.add(t == null ? DataType.VARCHAR : t);
      }
    }
  }

  int count() {
    return placeholders.size();
  }

  List<DataType> types() {
    return types;
  }

  /** The statement with each placeholder replaced by the given SQL text (one per placeholder). */
  String bind(List<String> literals) {
    if (literals.size() != placeholders.size()) {
      throw new IllegalArgumentException("the statement has " + placeholders.size() + " parameters, got "
          + literals.size() + " values");
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int p = 0; p < placeholders.size(); p++) {
      out.append(sql, from, placeholders.get(p).start()).append(literals.get(p));
      from = placeholders.get(p).end();
    }
    return out.append(sql.substring(from)).toString();
  }

  /** The statement with typed NULLs for its placeholders: what to plan for the result's schema. */
  String withNulls() {
    List<String> nulls = new ArrayList<>();
    for (DataType t : types) {
      nulls.add(SqlLiterals.nullOf(t));
    }
    return bind(nulls);
  }

  private static DataType inferred(List<SqlTokens.Token> tokens, int i, Function<String, DataType> columnType) {
    // CAST(? AS type)
    if (i >= 2 && tokens.get(i - 1).is("(") && tokens.get(i - 2).is("CAST") && i + 2 < tokens.size()
        && tokens.get(i + 1).is("AS")) {
      return SqlLiterals.parseType(tokens, i + 2);
    }
    if (i >= 1 && tokens.get(i - 1).is("LIKE")) {
      return DataType.VARCHAR;
    }
    // column op ?   |   column BETWEEN ? AND ?   |   column IN (?, ?, ...)
    int before = i - 1;
    if (before >= 0 && tokens.get(before).is("AND") && before >= 2 && tokens.get(before - 1).is("?")
        && tokens.get(before - 2).is("BETWEEN")) {
      before -= 2;
    }
    while (before >= 1 && tokens.get(before).is(",") && tokens.get(before - 1).is("?")) {
      before -= 2;
    }
    if (before >= 1 && tokens.get(before).is("(") && tokens.get(before - 1).is("IN")) {
      before -= 1;
      if (before >= 1 && tokens.get(before - 1).is("NOT")) {
        before -= 1;
      }
    }
    if (before >= 1 && (OPERATORS.contains(tokens.get(before).text()) || tokens.get(before).is("BETWEEN")
        || tokens.get(before).is("IN") || tokens.get(before).is("NOT"))) {
      DataType t = columnBefore(tokens, before - 1, columnType);
      if (t != null) {
        return t;
      }
    }
    // ? op column
    if (i + 2 < tokens.size() && OPERATORS.contains(tokens.get(i + 1).text())) {
      return columnAfter(tokens, i + 2, columnType);
    }
    return null;
  }

  /** The column whose name ends at token {@code last} ({@code t.c} or {@code c}). */
  private static DataType columnBefore(List<SqlTokens.Token> tokens, int last, Function<String, DataType> columnType) {
    if (last < 0 || !tokens.get(last).isWord()) {
      return null;
    }
    return columnType.apply(tokens.get(last).name());
  }

  /** The column whose name starts at token {@code first}. */
  private static DataType columnAfter(List<SqlTokens.Token> tokens, int first, Function<String, DataType> columnType) {
    int last = first;
    while (last + 2 < tokens.size() && tokens.get(last + 1).is(".") && tokens.get(last + 2).isWord()) {
      last += 2;
    }
    return columnBefore(tokens, last, columnType);
  }
}
