package io.kiln;

import io.kiln.error.KilnException;
import static io.kiln.Functions.avg;
import static io.kiln.Functions.col;
import static io.kiln.Functions.countStar;
import static io.kiln.Functions.lit;
import static io.kiln.Functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.datasource.memory.MemoryTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DataFrame API builds the same plans as SQL: each test compares a DataFrame with its SQL twin. */
class DataFrameTest {
  private RootAllocator allocator;
  private MemoryTable sales;
  private MemoryTable regions;
  private Kiln kiln;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    Schema s = new Schema(List.of(
        Field.nullable("region", ArrowType.Utf8.INSTANCE),
        Field.nullable("amount", new ArrowType.Decimal(10, 2, 128)),
        Field.nullable("qty", new ArrowType.Int(64, true))));
    sales = MemoryTable.fromRows(s, List.of(
        new Object[] {"east", new BigDecimal("10.50"), 1L},
        new Object[] {"west", new BigDecimal("3.25"), 4L},
        new Object[] {"east", new BigDecimal("7.00"), 2L},
        new Object[] {null, new BigDecimal("1.00"), null},
        new Object[] {"north", null, 9L}), allocator);
    Schema r = new Schema(List.of(
        Field.nullable("name", ArrowType.Utf8.INSTANCE),
        new Field("manager", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
    regions = MemoryTable.fromRows(r, List.of(
        new Object[] {"east", "ann"}, new Object[] {"west", "bob"}), allocator);
    kiln = Kiln.builder().threads(2).build();
    kiln.registerTable("sales", sales);
    kiln.registerTable("regions", regions);
  }

  @AfterEach
  void tearDown() {
    kiln.close();
    sales.close();
    regions.close();
    allocator.close();
  }

  private static List<String> rows(Result r) {
    List<String> out = new ArrayList<>();
    for (Object[] row : r.rows()) {
      out.add(Arrays.toString(row));
    }
    return out;
  }

  @Test
  void filterGroupAggregateOrderMatchesSql() {
    Result df = kiln.table("sales")
        .filter(col("amount").gt(lit(2.0)))
        .groupBy(col("region"))
        .agg(sum(col("amount")).as("total"), countStar().as("n"), avg(col("qty")).as("avg_qty"))
        .orderBy(col("total").desc())
        .collect();
    Result sql = kiln.execute("SELECT region, sum(amount) AS total, count(*) AS n, avg(qty) AS avg_qty FROM sales"
        + " WHERE amount > 2.0 GROUP BY region ORDER BY total DESC");
    assertEquals(rows(sql), rows(df));
    assertEquals(List.of("region", "total", "n", "avg_qty"), df.columnNames());
    assertEquals(new BigDecimal("17.50"), df.get(0, 1));
  }

  @Test
  void selectWithArithmeticAndJoin() {
    DataFrame s = kiln.table("sales");
    DataFrame r = kiln.table("regions");
    Result df = s.join(r, col("region").eq(col("name")), "inner")
        .select(col("manager"), col("amount").times(col("qty")).as("value"))
        .orderBy(col("value"))
        .collect();
    Result sql = kiln.execute("SELECT manager, amount * qty AS value FROM sales JOIN regions ON region = name"
        + " ORDER BY value");
    assertEquals(rows(sql), rows(df));
    assertEquals(3, df.rowCount());
  }

  @Test
  void globalAggregateOnEmptyFilterGivesOneRow() {
    Result df = kiln.table("sales").filter(col("qty").gt(lit(1000L))).agg(countStar(), sum(col("amount"))).collect();
    assertEquals(1, df.rowCount());
    assertEquals(0L, df.get(0, 0));
    assertEquals(null, df.get(0, 1));
  }

  @Test
  void unknownColumnIsABindingErrorWithSuggestion() {
    KilnException e = assertThrows(KilnException.class, () -> kiln.table("sales").filter(col("amout").gt(lit(1))));
    assertEquals(KilnException.Kind.BINDING, e.kind());
    assertTrue(e.getMessage().contains("did you mean amount"), e.getMessage());
  }

  @Test
  void collectArrowGivesStandardArrowTypes() {
    try (RootAllocator mine = new RootAllocator()) {
      List<org.apache.arrow.vector.VectorSchemaRoot> roots = kiln.table("sales").filter(col("qty").gt(lit(1L)))
          .select(col("region"), col("amount")).collectArrow(mine);
      try {
        int rows = 0;
        BigDecimal total = BigDecimal.ZERO;
        for (org.apache.arrow.vector.VectorSchemaRoot r : roots) {
          assertEquals(new ArrowType.Decimal(10, 2, 128), r.getSchema().getFields().get(1).getType());
          org.apache.arrow.vector.DecimalVector amounts = (org.apache.arrow.vector.DecimalVector) r.getVector(1);
          for (int i = 0; i < r.getRowCount(); i++) {
            if (!amounts.isNull(i)) {
              total = total.add(amounts.getObject(i));
            }
          }
          rows += r.getRowCount();
        }
        assertEquals(3, rows);
        assertEquals(new BigDecimal("10.25"), total);
      } finally {
        roots.forEach(org.apache.arrow.vector.VectorSchemaRoot::close);
      }
    }
  }

  @Test
  void arrowBatchesRegisteredAsATableRoundTrip() {
    try (RootAllocator mine = new RootAllocator()) {
      List<org.apache.arrow.vector.VectorSchemaRoot> roots = kiln.table("sales").select(col("region"), col("qty"))
          .collectArrow(mine);
      try {
        kiln.registerArrow("copy", roots);
      } finally {
        roots.forEach(org.apache.arrow.vector.VectorSchemaRoot::close); // the session keeps its own copy
      }
      Result r = kiln.execute("SELECT region, sum(qty) FROM copy GROUP BY region ORDER BY region NULLS LAST");
      Result expected = kiln.execute("SELECT region, sum(qty) FROM sales GROUP BY region ORDER BY region NULLS LAST");
      assertEquals(rows(expected), rows(r));
    }
  }

  @Test
  void showPrintsATable() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    kiln.table("sales").filter(col("region").eq(lit("west"))).show(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("west") && text.contains("3.25") && text.contains("(1 rows)"), text);
  }
}
