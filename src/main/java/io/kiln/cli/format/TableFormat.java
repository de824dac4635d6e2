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
  /** Narrowest a column is cut to when the table must fit a width. */
  private static final int MIN_WIDTH = 5;

  /** The widest a line may be (a terminal's width), or 0 for no limit. */
  private final int maxWidth;

  public TableFormat() {
    this(0);
  }

  /**
   * A table that fits lines of {@code maxWidth} characters, as DuckDB's shell does: the widest
   * columns are cut first (their cells end in '…'), and columns that still do not fit are left out
   * and counted below the table.
   */
  public TableFormat(int maxWidth) {
    this.maxWidth = maxWidth;
  }

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
    int shown = maxWidth > 0 ? fit(width, maxWidth) : columns;
    writeLine(cut(header, width, shown), width, right, out);
    String[] rule = new String[shown];
    for (int c = 0; c < shown; c++) {
      rule[c] = "-".repeat(width[c]);
    }
    writeLine(rule, width, right, out);
    for (String[] line : cells) {
      writeLine(cut(line, width, shown), width, right, out);
    }
    out.write(rows.size() == 1 ? "(1 row)" : "(" + rows.size() + " rows)");
    out.write(shown < columns ? ", " + (columns - shown) + " of " + columns + " columns not shown\n" : "\n");
  }

  /** Narrows the widest columns until the line fits {@code max}; returns how many columns then fit. */
  private static int fit(int[] width, int max) {
    int total = -GAP.length();
    for (int w : width) {
      total += w + GAP.length();
    }
    while (total > max) {
      int widest = 0;
      for (int c = 1; c < width.length; c++) {
        if (width[c] > width[widest]) {
          widest = c;
        }
      }
      if (width[widest] <= MIN_WIDTH) {
        break;
      }
      width[widest]--;
      total--;
    }
    int used = 0;
    int shown = 0;
    while (shown < width.length && used + width[shown] + (shown > 0 ? GAP.length() : 0) <= max) {
      used += width[shown] + (shown > 0 ? GAP.length() : 0);
      shown++;
    }
    return Math.max(1, shown);
  }

  /** The first {@code shown} cells, each cut to its column's width with '…'. */
  private static String[] cut(String[] cells, int[] width, int shown) {
    String[] out = new String[shown];
    for (int c = 0; c < shown; c++) {
      String s = cells[c];
      out[c] = length(s) <= width[c] ? s : s.substring(0, s.offsetByCodePoints(0, width[c] - 1)) + "…";
    }
    return out;
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
