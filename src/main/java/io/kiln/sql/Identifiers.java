package io.kiln.sql;

import java.util.Locale;

/**
 * SQL identifiers as Kiln compares them: quotes removed ({@code "a b"}, {@code `a b`}, {@code [a b]},
 * with {@code ""} inside double quotes meaning one quote), then lower-cased. Like DuckDB, Kiln matches
 * names case-insensitively even when quoted; quoting only allows reserved words, spaces and symbols.
 */
final class Identifiers {
  private Identifiers() {}

  static String normalize(String raw) {
    String s = raw;
    if (s.length() >= 2) {
      char first = s.charAt(0);
      char last = s.charAt(s.length() - 1);
      if (first == '"' && last == '"') {
        s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
      } else if ((first == '`' && last == '`') || (first == '[' && last == ']')) {
        s = s.substring(1, s.length() - 1);
      }
    }
    return s.toLowerCase(Locale.ROOT);
  }
}
