package io.kiln.cli.format;

import static io.kiln.cli.format.Results.columns;
import static io.kiln.cli.format.Results.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TableFormatTest {
  private final TableFormat table = new TableFormat();

  @Test
  void alignsColumnsAndRightAlignsNumbers() {
    var result = columns()
        .col("flag", DataType.VARCHAR).col("sum_qty", DataType.decimal(15, 2)).col("n", DataType.BIGINT)
        .col("day", DataType.DATE)
        .row("A", new BigDecimal("37734107.00"), 1478493L, LocalDate.of(1998, 9, 2))
        .row("NO", new BigDecimal("-1.50"), 7L, LocalDate.of(1992, 1, 1))
        .build();
    assertEquals(
        "flag      sum_qty        n  day\n"
            + "----  -----------  -------  ----------\n"
            + "A     37734107.00  1478493  1998-09-02\n"
            + "NO          -1.50        7  1992-01-01\n"
            + "(2 rows)\n",
        render(table, result));
  }

  @Test
  void showsNullAndSingularFooter() {
    var result = columns().col("s", DataType.VARCHAR).col("x", DataType.DOUBLE).row(null, null).build();
    assertEquals("s        x\n----  ----\nNULL  NULL\n(1 row)\n", render(table, result));
  }

  @Test
  void emptyResult() {
    var result = columns().col("a", DataType.INTEGER).col("b", DataType.VARCHAR).build();
    assertEquals("a  b\n-  -\n(0 rows)\n", render(table, result));
  }

  @Test
  void escapesLineBreaksAndKeepsQuotesAndCommas() {
    var result = columns().col("s", DataType.VARCHAR).col("k", DataType.INTEGER)
        .row("two\nlines\t!", 1).row("a, \"b\"", 22).build();
    assertEquals(
        "s               k\n"
            + "-------------  --\n"
            + "two\\nlines\\t!   1\n"
            + "a, \"b\"         22\n"
            + "(2 rows)\n",
        render(table, result));
  }

  @Test
  void measuresUnicodeByCodePoint() {
    var result = columns().col("s", DataType.VARCHAR).col("n", DataType.INTEGER)
        .row("😀😀", 1).row("grüß", 2).build();
    assertEquals(
        "s     n\n"
            + "----  -\n"
            + "😀😀    1\n"
            + "grüß  2\n"
            + "(2 rows)\n",
        render(table, result));
  }

  @Test
  void aNarrowTerminalCutsTheWidestColumnsFirst() {
    var result = columns().col("id", DataType.BIGINT).col("comment", DataType.VARCHAR).col("flag", DataType.VARCHAR)
        .row(1L, "a rather long comment that would wrap", "A").build();
    assertEquals(
        "id  comment               flag\n"
            + "--  --------------------  ----\n"
            + " 1  a rather long comme…  A\n"
            + "(1 row)\n",
        render(new TableFormat(30), result));
  }

  @Test
  void columnsThatStillDoNotFitAreLeftOutAndCounted() {
    var b = columns();
    for (int c = 0; c < 8; c++) {
      b.col("column" + c, DataType.VARCHAR);
    }
    var result = b.row("aaaaaaa", "bbbbbbb", "ccccccc", "ddddddd", "eeeeeee", "fffffff", "ggggggg", "hhhhhhh").build();
    String shown = render(new TableFormat(20), result);
    assertEquals(
        "colu…  colu…  colu…\n"
            + "-----  -----  -----\n"
            + "aaaa…  bbbb…  cccc…\n"
            + "(1 row), 5 of 8 columns not shown\n",
        shown);
  }
}
