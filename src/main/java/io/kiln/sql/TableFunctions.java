package io.kiln.sql;

import io.kiln.catalog.TableProvider;
import io.kiln.datasource.csv.CsvOptions;
import io.kiln.error.KilnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.OracleNamedFunctionParameter;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;

/**
 * The table functions FROM accepts, with DuckDB's names and named parameters:
 * {@code read_parquet('file, folder or glob')} and
 * {@code read_csv('file', header => true, delim => ',', quote => '"')}. Each call becomes a table
 * named after the call itself, with the path made absolute, so a plan that travels to a cluster
 * names the same files for every worker.
 */
final class TableFunctions {
  /** A table function resolved: the name its scan carries, and the table. */
  record Opened(String name, TableProvider table) {}

  private final FileTables files;
  private final SourcePositions positions;
  /** One table per distinct call in a statement: a self-join reads one table, not two of one name. */
  private final Map<String, TableProvider> opened = new HashMap<>();

  TableFunctions(FileTables files, SourcePositions positions) {
    this.files = files;
    this.positions = positions;
  }

  Opened open(Function call) {
    String function = call.getName().toLowerCase(Locale.ROOT);
    List<Expression> args = call.getParameters() == null ? List.of() : new ArrayList<>(call.getParameters());
    switch (function) {
      case "read_parquet":
      case "parquet_scan": {
        String location = location(function, args);
        Map<String, Expression> named = named(function, args);
        if (!named.isEmpty()) {
          throw KilnException.unsupported(function + " parameter " + named.keySet().iterator().next()
              + "; it takes only a path" + positions.of(function));
        }
        String name = "read_parquet('" + location + "')";
        return new Opened(name, open(name, function, () -> files.parquet(location)));
      }
      case "read_csv":
      case "read_csv_auto": {
        String location = location(function, args);
        CsvOptions options = CsvOptions.DEFAULT;
        for (Map.Entry<String, Expression> p : named(function, args).entrySet()) {
          switch (p.getKey()) {
            case "header":
              options = options.withHeader(bool(function, p.getKey(), p.getValue()));
              break;
            case "delim":
            case "sep":
            case "delimiter":
              options = options.withDelimiter(character(function, p.getKey(), p.getValue()));
              break;
            case "quote":
              options = options.withQuote(character(function, p.getKey(), p.getValue()));
              break;
            default:
              throw KilnException.unsupported(function + " parameter " + p.getKey()
                  + "; it takes header, delim (or sep) and quote" + positions.of(p.getKey()));
          }
        }
        CsvOptions chosen = options;
        String name = "read_csv('" + location + "', header => " + chosen.header() + ", delim => '"
            + chosen.delimiter() + "', quote => '" + chosen.quote() + "')";
        return new Opened(name, open(name, function, () -> files.csv(location, chosen)));
      }
      default:
        throw KilnException.unsupported("table function " + call.getName()
            + "; FROM takes read_parquet(...) and read_csv(...)" + positions.of(call.getName()));
    }
  }

  private TableProvider open(String name, String function, java.util.function.Supplier<TableProvider> opener) {
    TableProvider t = opened.get(name);
    if (t == null) {
      try {
        t = opener.get();
      } catch (KilnException e) {
        // The store's message names the file; the position says which call in the text asked for it.
        throw new KilnException(e.kind(), function + ": " + e.getMessage() + positions.of(function), e);
      }
      opened.put(name, t);
    }
    return t;
  }

  /** The first argument, a string: local paths are made absolute, s3:// URIs kept as they are. */
  private String location(String function, List<Expression> args) {
    if (args.isEmpty() || !(args.get(0) instanceof StringValue)) {
      throw KilnException.binding(function + " needs a path as a string as its first argument"
          + positions.of(function));
    }
    String path = ((StringValue) args.get(0)).getValue();
    if (path.startsWith("s3://")) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  /** The {@code name => value} (or {@code name = value}) arguments after the path, by lower-case name. */
  private Map<String, Expression> named(String function, List<Expression> args) {
    Map<String, Expression> out = new java.util.LinkedHashMap<>();
    for (Expression a : args.subList(1, args.size())) {
      String name;
      Expression value;
      if (a instanceof OracleNamedFunctionParameter) {
        name = ((OracleNamedFunctionParameter) a).getName();
        value = ((OracleNamedFunctionParameter) a).getExpression();
      } else if (a instanceof EqualsTo && ((EqualsTo) a).getLeftExpression() instanceof Column) {
        name = ((Column) ((EqualsTo) a).getLeftExpression()).getColumnName();
        value = ((EqualsTo) a).getRightExpression();
      } else {
        throw KilnException.binding(function + " takes one path, then named parameters (name => value), not "
            + a + positions.of(function));
      }
      out.put(name.toLowerCase(Locale.ROOT), value);
    }
    return out;
  }

  private boolean bool(String function, String parameter, Expression value) {
    if (value instanceof BooleanValue) {
      return ((BooleanValue) value).getValue();
    }
    if (value instanceof Column) { // JSqlParser reads a bare true/false as a column name in some places
      String v = ((Column) value).getColumnName().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return v.equals("true");
      }
    }
    throw KilnException.binding(function + ": " + parameter + " must be true or false, not " + value
        + positions.of(parameter));
  }

  private char character(String function, String parameter, Expression value) {
    if (value instanceof StringValue && ((StringValue) value).getValue().length() == 1) {
      return ((StringValue) value).getValue().charAt(0);
    }
    throw KilnException.binding(function + ": " + parameter + " must be one character in quotes, not " + value
        + positions.of(parameter));
  }
}
