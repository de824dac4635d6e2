package io.kiln.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of named test queries: each starts at a {@code -- name: <name>} line and runs to the next
 * one; a query may hold several {@code ;}-separated statements, the last one returning rows.
 */
public final class SqlScript {
  private static final Pattern NAME = Pattern.compile("^--\\s*name:\\s*(\\S+)\\s*$");

  /** One named query: its full text and its statements split at top-level semicolons. */
  public record Query(String name, String sql, List<String> statements) {
    /** The statement whose rows are the answer. */
    public String lastStatement() {
      return statements.get(statements.size() - 1);
    }

    /**
     * The query with every {@code ${dir}} replaced by {@code dir}: queries that write and read
     * files name them under a folder the test makes and removes.
     */
    public Query in(Path dir) {
      String d = dir.toAbsolutePath().toString().replace("'", "''");
      return new Query(name, sql.replace(DIR, d), statements.stream().map(st -> st.replace(DIR, d)).toList());
    }
  }

  /** Where a query's files go; see {@link Query#in}. */
  public static final String DIR = "${dir}";

  private SqlScript() {}

  public static List<Query> read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static List<Query> parse(String text, String source) {
    List<Query> queries = new ArrayList<>();
    String name = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      Matcher m = NAME.matcher(line.strip());
      if (m.matches()) {
        if (name != null) {
          queries.add(toQuery(name, body.toString(), source));
        }
        name = m.group(1);
        body.setLength(0);
      } else if (name != null) {
        body.append(line).append('\n');
      } else if (!line.isBlank() && !line.strip().startsWith("--")) {
        throw new IllegalArgumentException(source + ": SQL before the first '-- name:' line: " + line);
      }
    }
    if (name != null) {
      queries.add(toQuery(name, body.toString(), source));
    }
    return queries;
  }

  private static Query toQuery(String name, String body, String source) {
    List<String> statements = splitStatements(body);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException(source + ": query '" + name + "' is empty");
    }
    return new Query(name, String.join(";\n", statements), statements);
  }

  /** Splits at semicolons outside string literals, quoted names and comments; drops empty pieces. */
  public static List<String> splitStatements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? sql.length() : end;
        current.append(sql, i, end);
        i = end;
      } else if (ch == '\'' || ch == '"') {
        int j = i + 1;
        while (j < sql.length() && !(sql.charAt(j) == ch && (j + 1 >= sql.length() || sql.charAt(j + 1) != ch))) {
          j += sql.charAt(j) == ch ? 2 : 1; // a doubled quote stays inside the literal
        }
        int end = Math.min(j + 1, sql.length());
        current.append(sql, i, end);
        i = end;
      } else if (ch == ';') {
        addIfNotBlank(out, current);
        current.setLength(0);
        i++;
      } else {
        current.append(ch);
        i++;
      }
    }
    addIfNotBlank(out, current);
    return out;
  }

  private static void addIfNotBlank(List<String> out, StringBuilder statement) {
    String s = statement.toString().strip();
    if (!ResultAssert.stripLiteralsAndComments(s).isBlank()) {
      out.add(s);
    }
  }

  /** Every {@code .sql} file of a test resource directory, sorted by name. */
  public static List<Path> resourceFiles(String dir) {
    java.net.URL url = SqlScript.class.getClassLoader().getResource(dir);
    if (url == null) {
      throw new IllegalStateException("test resource directory '" + dir + "' is missing");
    }
    try (java.util.stream.Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** All queries of all {@link #resourceFiles} of {@code dir}, in file order. */
  public static List<Query> resourceQueries(String dir) {
    List<Query> all = new ArrayList<>();
    for (Path f : resourceFiles(dir)) {
      all.addAll(read(f));
    }
    return all;
  }
}
