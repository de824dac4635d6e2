package io.kiln.cli.format;

import io.kiln.Result;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted only when they hold a comma, quote,
 * CR or LF. NULL is an empty field; an empty string is written as {@code ""} so the two differ.
 */
public final class CsvFormat implements ResultFormat {
  private static final String EOL = "\r\n";

  @Override
  public void write(Result result, Writer out) throws IOException {
    List<String> names = result.columnNames();
    for (int c = 0; c < names.size(); c++) {
      if (c > 0) {
        out.write(',');
      }
      writeField(names.get(c), out);
    }
    out.write(EOL);
    for (Object[] row : result.rows()) {
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          out.write(',');
        }
        if (row[c] != null) {
          writeField(ValueText.of(row[c]), out);
        }
      }
      out.write(EOL);
    }
  }

  private static void writeField(String text, Writer out) throws IOException {
    if (!text.isEmpty() && !needsQuotes(text)) {
      out.write(text);
      return;
    }
    out.write('"');
    out.write(text.replace("\"", "\"\""));
    out.write('"');
  }

  private static boolean needsQuotes(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
        return true;
      }
    }
    return false;
  }
}
