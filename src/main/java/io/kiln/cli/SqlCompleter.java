package io.kiln.cli;

import io.kiln.Kiln;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.arrow.vector.types.pojo.Field;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion in kiln shell: SQL keywords, the session's tables and their columns, dot commands. */
final class SqlCompleter implements Completer {
  private static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING",
      "LIMIT", "JOIN", "LEFT", "RIGHT", "FULL", "INNER", "OUTER", "ON", "AS", "AND", "OR", "NOT", "IN", "EXISTS",
      "BETWEEN", "LIKE", "IS", "NULL", "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "UNION", "ALL", "WITH",
      "EXPLAIN", "ANALYZE", "CAST", "DATE", "TIMESTAMP", "INTERVAL", "COUNT", "SUM", "AVG", "MIN", "MAX", "ASC",
      "DESC", "SET", "CREATE", "VIEW", "DROP", "TABLE", "REPLACE", "INSERT", "INTO", "VALUES", "COPY", "TO", "FORMAT",
      "READ_PARQUET", "READ_CSV");

  private final Kiln kiln;

  SqlCompleter(Kiln kiln) {
    this.kiln = kiln;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String word = line.word();
    if (line.wordIndex() == 0 && word.startsWith(".")) {
      for (String command : Shell.DOT_COMMANDS) {
        candidates.add(new Candidate(command));
      }
      return;
    }
    boolean lower = !word.isEmpty() && Character.isLowerCase(word.charAt(0));
    for (String k : KEYWORDS) {
      candidates.add(new Candidate(lower ? k.toLowerCase(Locale.ROOT) : k));
    }
    TreeSet<String> names = new TreeSet<>();
    for (String table : kiln.catalog().names()) {
      names.add(table);
      for (Field f : kiln.catalog().get(table).schema().getFields()) {
        names.add(f.getName());
      }
    }
    names.forEach(n -> candidates.add(new Candidate(n)));
  }
}
