package io.kiln.sql;

import io.kiln.error.KilnException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code COPY (query) TO 'path' [(options)]} or {@code COPY table TO 'path' [(options)]}, which
 * JSqlParser does not read: this class reads the statement around the query (the query itself is
 * left to JSqlParser at its place in the text, so its errors keep their positions). Options, as
 * in DuckDB: {@code FORMAT parquet|csv} (by default from the file's extension, else CSV),
 * {@code HEADER [true|false]} (CSV; true), {@code DELIMITER|DELIM|SEP 'c'} (CSV; ',').
 */
final class CopyStatement {
  private static final Pattern COPY = Pattern.compile("(?i)COPY\\b");
  private static final Pattern NAME = Pattern.compile("(?i)(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)(\\.(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*))*");
  private static final Pattern WORD = Pattern.compile("(?i)[A-Za-z_][A-Za-z0-9_]*");

  /** Where the query is ({@code [queryStart, queryEnd)}), or the table's name when COPY reads a table. */
  final int queryStart;
  final int queryEnd;
  final String table;
  final String path;
  /** The offset of the path's literal, for errors about the path. */
  final int pathOffset;
  final TableCommands.Format format;
  final boolean header;
  final char delimiter;

  private CopyStatement(int queryStart, int queryEnd, String table, String path, int pathOffset,
      TableCommands.Format format, boolean header, char delimiter) {
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.table = table;
    this.path = path;
    this.pathOffset = pathOffset;
    this.format = format;
    this.header = header;
    this.delimiter = delimiter;
  }

  /** Whether the statement at {@code start} begins with the word COPY. */
  static boolean isCopy(String sql, int start) {
    return COPY.matcher(sql).region(start, sql.length()).lookingAt();
  }

  /** Reads the COPY statement in {@code sql[start, end)}. */
  static CopyStatement parse(String sql, int start, int end) {
    Reader r = new Reader(sql, start + 4, end);
    int queryStart = -1;
    int queryEnd = -1;
    String table = null;
    r.blanks();
    if (r.peek() == '(') {
      queryStart = r.at + 1;
      queryEnd = r.closingParenthesis(r.at);
      r.at = queryEnd + 1;
    } else {
      table = r.match(NAME, "a table name or a (query) after COPY");
    }
    r.blanks();
    String direction = r.match(WORD, "TO 'path'").toUpperCase(Locale.ROOT);
    if (direction.equals("FROM")) {
      throw KilnException.unsupported("COPY ... FROM (reading a file into a table); use CREATE TABLE t AS SELECT * "
          + "FROM read_csv(...) or read_parquet(...) instead" + r.where());
    }
    if (!direction.equals("TO")) {
      r.at -= direction.length();
      throw r.expected("TO");
    }
    r.blanks();
    int pathOffset = r.at;
    String path = r.string("the path to write as a string");
    TableCommands.Format format = path.toLowerCase(Locale.ROOT).endsWith(".parquet")
        ? TableCommands.Format.PARQUET : TableCommands.Format.CSV;
    boolean header = true;
    char delimiter = ',';
    r.blanks();
    if (r.peek() == '(') {
      r.at++;
      while (true) {
        r.blanks();
        String option = r.match(WORD, "an option (FORMAT, HEADER, DELIMITER)").toUpperCase(Locale.ROOT);
        r.blanks();
        switch (option) {
          case "FORMAT": {
            String f = r.peek() == '\'' ? r.string("a format") : r.match(WORD, "a format (parquet or csv)");
            switch (f.toLowerCase(Locale.ROOT)) {
              case "parquet":
                format = TableCommands.Format.PARQUET;
                break;
              case "csv":
                format = TableCommands.Format.CSV;
                break;
              default:
                throw KilnException.unsupported("COPY format " + f + "; Kiln writes parquet and csv" + r.where());
            }
            break;
          }
          case "HEADER":
            header = r.peek() == ',' || r.peek() == ')' || r.bool();
            break;
          case "DELIMITER": case "DELIM": case "SEP": {
            String d = r.string("a delimiter in quotes");
            if (d.length() != 1) {
              throw KilnException.syntax("COPY delimiter must be one character, not '" + d + "'" + r.where());
            }
            delimiter = d.charAt(0);
            break;
          }
          default:
            r.at -= option.length();
            throw KilnException.unsupported("COPY option " + option + "; Kiln takes FORMAT, HEADER and DELIMITER"
                + r.where());
        }
        r.blanks();
        if (r.peek() == ',') {
          r.at++;
        } else if (r.peek() == ')') {
          r.at++;
          break;
        } else {
          throw r.expected("',' or ')'");
        }
      }
    }
    r.blanks();
    if (r.at < end) {
      throw r.expected("the end of the COPY statement");
    }
    return new CopyStatement(queryStart, queryEnd, table, path, pathOffset, format, header, delimiter);
  }

  /** A cursor over the statement's text that reports where it stopped understanding it. */
  private static final class Reader {
    private final String sql;
    private final int end;
    int at;

    Reader(String sql, int at, int end) {
      this.sql = sql;
      this.at = at;
      this.end = end;
    }

    void blanks() {
      at = Math.min(StatementSpans.skipBlanks(sql, at), end);
    }

    char peek() {
      return at < end ? sql.charAt(at) : 0;
    }

    String match(Pattern p, String what) {
      Matcher m = p.matcher(sql).region(at, end);
      if (!m.lookingAt()) {
        throw expected(what);
      }
      at = m.end();
      return m.group();
    }

    String string(String what) {
      if (peek() != '\'') {
        throw expected(what);
      }
      int close = StatementSpans.skip(sql, at);
      if (close > end || sql.charAt(close - 1) != '\'' || close == at + 1) { // at + 1: the text ended at the quote
        throw expected("a closing quote");
      }
      String value = sql.substring(at + 1, close - 1).replace("''", "'");
      at = close;
      return value;
    }

    boolean bool() {
      String v = peek() == '\'' ? string("true or false") : match(WORD, "true or false");
      switch (v.toLowerCase(Locale.ROOT)) {
        case "true": case "1": case "on":
          return true;
        case "false": case "0": case "off":
          return false;
        default:
          throw KilnException.syntax("COPY option HEADER takes true or false, not " + v + where());
      }
    }

    int closingParenthesis(int open) {
      int depth = 0;
      int i = open;
      while (i < end) {
        char ch = sql.charAt(i);
        if (ch == '(') {
          depth++;
        } else if (ch == ')' && --depth == 0) {
          return i;
        }
        i = StatementSpans.skip(sql, i);
      }
      at = end;
      throw expected("')' closing the query");
    }

    KilnException expected(String what) {
      return KilnException.syntax("COPY: expected " + what + " but found "
          + (at < end ? "'" + sql.substring(at, Math.min(end, at + 20)).split("\\s")[0] + "'" : "the end")
          + where());
    }

    String where() {
      return " at " + new SourcePositions(sql).lineColumn(at);
    }
  }
}
