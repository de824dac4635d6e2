package io.kiln.cli.format;

import io.kiln.Result;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Tab-separated values with a header line. NULL is an empty field. Tabs, newlines, carriage
 * returns and backslashes inside values are escaped as \t \n \r \\ so every row stays one line
 * and the text can be decoded back unambiguously.
 */
public final class TsvFormat implements ResultFormat {
  @Override
  public void write(Result result, Writer out) throws IOException {
    List<String> names = result.columnNames();
    for (int c = 0; c < names.size(); c++) {
      if (c > 0) {
        out.write('\t');
      }
      writeEscaped(names.get(c), out);
    }
    out.write('\n');
    for (Object[] row : result.rows()) {
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          out.write('\t');
        }
        if (row[c] != null) {
          writeEscaped(ValueText.of(row[c]), out);
        }
      }
      out.write('\n');
    }
  }

  private static void writeEscaped(String text, Writer out) throws IOException {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '\t':
          out.write("\\t");
          break;
        case '\n':
          out.write("\\n");
          break;
        case '\r':
          out.write("\\r");
          break;
        case '\\':
          out.write("\\\\");
          break;
        default:
          out.write(ch);
      }
    }
  }
}
