package io.kiln.cli.format;

import static io.kiln.cli.format.Results.columns;
import static io.kiln.cli.format.Results.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TsvFormatTest {
  private final TsvFormat tsv = new TsvFormat();

  @Test
  void headerAndValues() {
    var result = columns().col("id", DataType.BIGINT).col("price", DataType.decimal(12, 2)).col("d", DataType.DATE)
        .row(7L, new BigDecimal("0.0000001"), LocalDate.of(1995, 3, 15))
        .row(8L, new BigDecimal("-1.50"), LocalDate.of(1, 1, 1))
        .build();
    assertEquals("id\tprice\td\n7\t0.0000001\t1995-03-15\n8\t-1.50\t0001-01-01\n", render(tsv, result));
  }

  @Test
  void nullIsEmpty() {
    var result = columns().col("a", DataType.VARCHAR).col("b", DataType.INTEGER).row(null, null).row("x", 1).build();
    assertEquals("a\tb\n\t\nx\t1\n", render(tsv, result));
  }

  @Test
  void escapesTabsNewlinesAndBackslashes() {
    var result = columns().col("s", DataType.VARCHAR)
        .row("a\tb").row("two\nlines").row("cr\r").row("back\\slash").row("quote \" and, comma")
        .build();
    assertEquals(
        "s\na\\tb\ntwo\\nlines\ncr\\r\nback\\\\slash\nquote \" and, comma\n", render(tsv, result));
  }

  @Test
  void escapesHeaderNames() {
    var result = columns().col("a\tb", DataType.INTEGER).build();
    assertEquals("a\\tb\n", render(tsv, result));
  }

  @Test
  void unicodePassesThrough() {
    var result = columns().col("名前", DataType.VARCHAR).row("grüß 😀").build();
    assertEquals("名前\ngrüß 😀\n", render(tsv, result));
  }
}
