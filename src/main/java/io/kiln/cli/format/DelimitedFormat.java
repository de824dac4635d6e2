package io.kiln.cli.format;

import io.kiln.Result;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Rows of fields between separators, after a header row of column names; NULL is an empty field.
 * Subclasses say how one field's text is written (quoting or escaping).
 */
abstract class DelimitedFormat implements ResultFormat {
  private final char separator;
  private final String lineEnd;

  DelimitedFormat(char separator, String lineEnd) {
    this.separator = separator;
    this.lineEnd = lineEnd;
  }

  /** Writes one non-null field (or column name) so that it cannot be confused with the layout. */
  abstract void writeField(String text, Writer out) throws IOException;

  @Override
  public final void write(Result result, Writer out) throws IOException {
    List<String> names = result.columnNames();
    for (int c = 0; c < names.size(); c++) {
      if (c > 0) {
        out.write(separator);
      }
      writeField(names.get(c), out);
    }
    out.write(lineEnd);
    for (Object[] row : result.rows()) {
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          out.write(separator);
        }
        if (row[c] != null) {
          writeField(ValueText.of(row[c]), out);
        }
      }
      out.write(lineEnd);
    }
  }
}
