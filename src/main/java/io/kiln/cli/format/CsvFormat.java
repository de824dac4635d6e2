package io.kiln.cli.format;

import java.io.IOException;
import java.io.Writer;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted only when they hold a comma, quote,
 * CR or LF. NULL is an empty field; an empty string is written as {@code ""} so the two differ.
 */
public final class CsvFormat extends DelimitedFormat {
  public CsvFormat() {
    super(',', "\r\n");
  }

  @Override
  void writeField(String text, Writer out) throws IOException {
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
