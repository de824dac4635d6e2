package io.kiln.cli.format;

import static io.kiln.cli.format.Results.columns;
import static io.kiln.cli.format.Results.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class JsonFormatTest {
  private final JsonFormat json = new JsonFormat();

  @Test
  void arrayOfObjectsWithTypedValues() {
    var result = columns()
        .col("id", DataType.INTEGER).col("price", DataType.decimal(12, 2)).col("d", DataType.DATE)
        .col("ok", DataType.BOOLEAN).col("x", DataType.DOUBLE).col("s", DataType.VARCHAR)
        .row(1, new BigDecimal("1234.50"), LocalDate.of(1998, 9, 2), true, 0.5, "a")
        .row(2, new BigDecimal("1E-7"), LocalDate.of(1992, 1, 1), false, 4.0, "b")
        .build();
    assertEquals(
        "[\n"
            + "{\"id\":1,\"price\":1234.50,\"d\":\"1998-09-02\",\"ok\":true,\"x\":0.5,\"s\":\"a\"},\n"
            + "{\"id\":2,\"price\":0.0000001,\"d\":\"1992-01-01\",\"ok\":false,\"x\":4,\"s\":\"b\"}\n"
            + "]\n",
        render(json, result));
  }

  @Test
  void nullsAreNull() {
    var result = columns().col("a", DataType.VARCHAR).col("b", DataType.decimal(5, 1)).col("c", DataType.DATE)
        .row(null, null, null)
        .build();
    assertEquals("[\n{\"a\":null,\"b\":null,\"c\":null}\n]\n", render(json, result));
  }

  @Test
  void emptyResultIsAnEmptyArray() {
    var result = columns().col("a", DataType.INTEGER).build();
    assertEquals("[]\n", render(json, result));
  }

  @Test
  void escapesStringsAndKeys() {
    var result = columns().col("say \"it\"", DataType.VARCHAR)
        .row("q\" b\\ n\n r\r t\t bs\b ff\f nul\u0000 us\u001f ls\u2028")
        .build();
    assertEquals(
        "[\n{\"say \\\"it\\\"\":"
            + "\"q\\\" b\\\\ n\\n r\\r t\\t bs\\b ff\\f nul\\u0000 us\\u001f ls\\u2028\"}\n]\n",
        render(json, result));
  }

  @Test
  void unicodeAndCommasStayRaw() {
    var result = columns().col("s", DataType.VARCHAR).row("grüß, 日本 😀").build();
    assertEquals("[\n{\"s\":\"grüß, 日本 😀\"}\n]\n", render(json, result));
  }

  @Test
  void nonFiniteDoublesBecomeNullAndTimestampsStrings() {
    var result = columns().col("x", DataType.DOUBLE).col("y", DataType.REAL).col("t", DataType.TIMESTAMP)
        .row(Double.NaN, Float.NEGATIVE_INFINITY, LocalDateTime.of(2020, 2, 29, 12, 0, 5))
        .build();
    assertEquals("[\n{\"x\":null,\"y\":null,\"t\":\"2020-02-29 12:00:05\"}\n]\n", render(json, result));
  }

  @Test
  void largeAndNegativeNumbers() {
    var result = columns().col("l", DataType.BIGINT).col("d", DataType.decimal(18, 0)).col("x", DataType.DOUBLE)
        .row(Long.MIN_VALUE, new BigDecimal("-5E+3"), -1.25e-9)
        .build();
    assertEquals(
        "[\n{\"l\":-9223372036854775808,\"d\":-5000,\"x\":-1.25E-9}\n]\n", render(json, result));
  }
}
