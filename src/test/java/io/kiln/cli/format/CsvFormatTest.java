package io.kiln.cli.format;

import static io.kiln.cli.format.Results.columns;
import static io.kiln.cli.format.Results.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CsvFormatTest {
  private final CsvFormat csv = new CsvFormat();

  @Test
  void headerAndPlainValues() {
    var result = columns()
        .col("id", DataType.INTEGER).col("price", DataType.decimal(12, 2)).col("d", DataType.DATE)
        .col("ok", DataType.BOOLEAN).col("x", DataType.DOUBLE)
        .row(1, new BigDecimal("1234.50"), LocalDate.of(1998, 9, 2), true, 0.25)
        .build();
    assertEquals("id,price,d,ok,x\r\n1,1234.50,1998-09-02,true,0.25\r\n", render(csv, result));
  }

  @Test
  void nullIsAnEmptyFieldAndEmptyStringIsQuoted() {
    var result = columns().col("a", DataType.VARCHAR).col("b", DataType.INTEGER).col("c", DataType.VARCHAR)
        .row(null, null, "")
        .build();
    assertEquals("a,b,c\r\n,,\"\"\r\n", render(csv, result));
  }

  @Test
  void quotesFieldsWithCommasQuotesAndLineBreaks() {
    var result = columns().col("s", DataType.VARCHAR)
        .row("a,b").row("say \"hi\"").row("two\nlines").row("cr\rhere").row("plain text")
        .build();
    assertEquals(
        "s\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\"cr\rhere\"\r\nplain text\r\n",
        render(csv, result));
  }

  @Test
  void quotesHeaderNamesWhenNeeded() {
    var result = columns().col("a,b", DataType.INTEGER).col("q\"", DataType.INTEGER).build();
    assertEquals("\"a,b\",\"q\"\"\"\r\n", render(csv, result));
  }

  @Test
  void unicodePassesThrough() {
    var result = columns().col("s", DataType.VARCHAR).row("grüß 日本 😀").build();
    assertEquals("s\r\ngrüß 日本 😀\r\n", render(csv, result));
  }

  @Test
  void numbersInPlainNotation() {
    var result = columns().col("dec", DataType.decimal(18, 7)).col("dbl", DataType.DOUBLE).col("r", DataType.REAL)
        .row(new BigDecimal("0.0000001"), 3.0, 1.5f)
        .row(new BigDecimal("1E+3"), 1e20, 2.0f)
        .row(new BigDecimal("-12.30"), -0.1, Float.NaN)
        .row(BigDecimal.ZERO, Double.POSITIVE_INFINITY, 0.1f)
        .build();
    assertEquals(
        "dec,dbl,r\r\n0.0000001,3,1.5\r\n1000,1.0E20,2\r\n-12.30,-0.1,NaN\r\n0,Infinity,0.1\r\n",
        render(csv, result));
  }

  @Test
  void timestampsAndIntegersOfEveryWidth() {
    var result = columns().col("t", DataType.TIMESTAMP).col("b", DataType.TINYINT).col("s", DataType.SMALLINT)
        .col("l", DataType.BIGINT)
        .row(LocalDateTime.of(1998, 9, 2, 0, 0), (byte) -1, (short) 300, Long.MAX_VALUE)
        .row(LocalDateTime.of(2024, 1, 31, 23, 59, 1, 250_000_000), (byte) 0, (short) 0, 0L)
        .build();
    assertEquals(
        "t,b,s,l\r\n1998-09-02 00:00:00,-1,300,9223372036854775807\r\n2024-01-31 23:59:01.25,0,0,0\r\n",
        render(csv, result));
  }

  @Test
  void noRowsGivesOnlyTheHeader() {
    var result = columns().col("a", DataType.INTEGER).col("b", DataType.VARCHAR).build();
    assertEquals("a,b\r\n", render(csv, result));
  }
}
