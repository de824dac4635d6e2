package io.kiln.cli.format;

import io.kiln.Result;
import io.kiln.types.DataType;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Aligned columns for people: a header, a dashed rule, the rows, and a row count. Numeric columns
 * are right-aligned. NULL shows as NULL; control characters are shown escaped so rows stay aligned.
 */
public final class TableFormat implements ResultFormat {
  private static final String GAP = "  ";

  @Override
  public void write(Result result, Writer out) throws IOException {
    List<String> names = result.columnNames();
    List<Object[]> rows = result.rows();
    int columns = names.size();
    boolean[] right = new boolean[columns];
    int[] width = new int[columns];
    String[] header = new String[columns];
    for (int c = 0; c < columns; c++) {
      DataType type = result.columnTypes().get(c);
      right[c] = type.isNumeric();
      header[c] = visible(names.get(c));
      width[c] = length(header[c]);
    }
    // Cells are rendered once, then measured and written from the same strings.
    String[][] cells = new String[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      Object[] row = rows.get(r);
      String[] line = new String[columns];
      for (int c = 0; c < columns; c++) {
        line[c] = row[c] == null ? "NULL" : visible(ValueText.of(row[c]));
        width[c] = Math.max(width[c], length(line[c]));
      }
      cells[r] = line;
    }
    writeLine(header, width, right, out);
    String[] rule = new String[columns];
    for (int c = 0; c < columns; c++) {
      rule[c] = "-".repeat(width[c]);
    }
    writeLine(rule, width, right, out);
    for (String[] line : cells) {
      writeLine(line, width, right, out);
    }
    out.write(rows.size() == 1 ? "(1 row)\n" : "(" + rows.size() + " rows)\n");
  }

  private static void writeLine(String[] cells, int[] width, boolean[] right, Writer out)
      throws IOException {
    StringBuilder line = new StringBuilder();
    int last = cells.length - 1;
    for (int c = 0; c <= last; c++) {
      if (c > 0) {
        line.append(GAP);
      }
      String pad = " ".repeat(width[c] - length(cells[c]));
      if (right[c]) {
        line.append(pad).append(cells[c]);
      } else {
        line.append(cells[c]);
        // No trailing blanks after the last column.
        if (c < last) {
          line.append(pad);
        }
      }
    }
    out.append(line).append('\n');
  }

  /** Width in code points, so characters outside the BMP count once. */
  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String visible(String s) {
    if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\t') < 0) {
      return s;
    }
    return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
