package io.kiln.observe;

/** How a query's SQL appears in a log line: on one line, cut short. */
public final class QueryLog {
  private static final int MAX = 200;

  private QueryLog() {}

  public static String oneLine(String sql) {
    String line = sql.strip().replaceAll("\\s+", " ");
    return line.length() <= MAX ? line : line.substring(0, MAX) + "...";
  }
}
