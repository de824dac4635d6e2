package io.kiln.cli.format;

import io.kiln.Result;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;

/**
 * A JSON array with one object per row (one row per line). Numbers stay JSON numbers (decimals in
 * plain notation, never exponent form); dates and timestamps are ISO strings; NULL is null.
 */
public final class JsonFormat implements ResultFormat {
  @Override
  public void write(Result result, Writer out) throws IOException {
    List<String> names = result.columnNames();
    List<Object[]> rows = result.rows();
    out.write('[');
    for (int r = 0; r < rows.size(); r++) {
      out.write(r == 0 ? "\n" : ",\n");
      Object[] row = rows.get(r);
      out.write('{');
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          out.write(',');
        }
        writeString(names.get(c), out);
        out.write(':');
        writeValue(row[c], out);
      }
      out.write('}');
    }
    out.write(rows.isEmpty() ? "]\n" : "\n]\n");
  }

  private static void writeValue(Object value, Writer out) throws IOException {
    if (value == null || ValueText.isNonFinite(value)) {
      // JSON has no NaN or infinity; null is what JavaScript's JSON.stringify writes for them too.
      out.write("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.write(ValueText.of(value));
    } else {
      writeString(ValueText.of(value), out);
    }
  }

  private static void writeString(String text, Writer out) throws IOException {
    out.write('"');
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '"':
          out.write("\\\"");
          break;
        case '\\':
          out.write("\\\\");
          break;
        case '\n':
          out.write("\\n");
          break;
        case '\r':
          out.write("\\r");
          break;
        case '\t':
          out.write("\\t");
          break;
        case '\b':
          out.write("\\b");
          break;
        case '\f':
          out.write("\\f");
          break;
        default:
          // Other control characters must be escaped; U+2028/2029 too, as JavaScript source forbids them raw.
          if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
            out.write(String.format("\\u%04x", (int) ch));
          } else {
            out.write(ch);
          }
      }
    }
    out.write('"');
  }
}
