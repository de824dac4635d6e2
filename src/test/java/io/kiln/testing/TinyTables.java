package io.kiln.testing;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.catalog.Catalog;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.logical.Expr;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Scan;
import io.kiln.sql.SqlStatements;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A handful of tiny in-memory tables (2-6 rows, with NULLs) in a catalog, for binding SQL into
 * logical plans and for running the same SQL through a Kiln session. Closing it releases the
 * tables and fails if their allocator leaked.
 *
 * <pre>
 * cust(c_id INTEGER, c_name VARCHAR, c_nation INTEGER)
 *   (1,'ann',10) (2,'bob',20) (3,'cy',NULL) (4,NULL,10)
 * ord(o_id INTEGER, o_cust INTEGER, o_total DECIMAL(10,2), o_date DATE)
 *   (100,1,10.00,1998-08-01) (101,1,25.50,1998-09-15) (102,2,7.25,1998-12-01)
 *   (103,NULL,3.00,1998-10-01) (104,5,40.00,NULL)
 * nat(n_id INTEGER, n_name VARCHAR)
 *   (10,'fr') (20,'de') (30,'it')
 * nums(v INTEGER)        (1) (NULL)
 * nonull(v INTEGER)      (1) (2)
 * empty(v INTEGER)       no rows
 * </pre>
 */
public final class TinyTables implements AutoCloseable {
  private final RootAllocator allocator = new RootAllocator();
  private final Map<String, MemoryTable> tables = new LinkedHashMap<>();
  private final Catalog catalog = new Catalog();

  public TinyTables() {
    add("cust", schema(col("c_id", DataType.INTEGER), col("c_name", DataType.VARCHAR), col("c_nation", DataType.INTEGER)),
        row(1, "ann", 10), row(2, "bob", 20), row(3, "cy", null), row(4, null, 10));
    add("ord", schema(col("o_id", DataType.INTEGER), col("o_cust", DataType.INTEGER),
            col("o_total", DataType.decimal(10, 2)), col("o_date", DataType.DATE)),
        row(100, 1, dec("10.00"), date("1998-08-01")),
        row(101, 1, dec("25.50"), date("1998-09-15")),
        row(102, 2, dec("7.25"), date("1998-12-01")),
        row(103, null, dec("3.00"), date("1998-10-01")),
        row(104, 5, dec("40.00"), null));
    add("nat", schema(col("n_id", DataType.INTEGER), col("n_name", DataType.VARCHAR)),
        row(10, "fr"), row(20, "de"), row(30, "it"));
    add("nums", schema(col("v", DataType.INTEGER)), row(1), row((Object) null));
    add("nonull", schema(col("v", DataType.INTEGER)), row(1), row(2));
    add("empty", schema(col("v", DataType.INTEGER)));
  }

  public void add(String name, Schema schema, Object[]... rows) {
    MemoryTable t = MemoryTable.fromRows(schema, Arrays.asList(rows), allocator);
    tables.put(name, t);
    catalog.register(name, t);
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The bound (unoptimized) logical plan of one query. */
  public LogicalPlan plan(String sql) {
    SqlStatements statements = new SqlStatements(catalog);
    List<SqlStatements.Parsed> parsed = statements.parse(sql);
    if (parsed.size() != 1) {
      throw new IllegalArgumentException("one statement expected: " + sql);
    }
    return statements.bind(parsed.get(0)).query;
  }

  /** Runs the SQL in a fresh two-thread session over these tables; the session must close without leaks. */
  public Result run(String sql) {
    try (Kiln kiln = session()) {
      return kiln.execute(sql);
    }
  }

  /** Runs an already built logical plan (the session optimizes it again, as it would any plan). */
  public Result run(LogicalPlan plan) {
    try (Kiln kiln = session()) {
      return kiln.run(plan);
    }
  }

  public Kiln session() {
    Kiln kiln = Kiln.builder().threads(2).build();
    tables.forEach(kiln::registerTable);
    return kiln;
  }

  /** Result rows as strings, sorted, so unordered results compare as multisets. */
  public static List<String> sortedRows(Result r) {
    List<String> out = new ArrayList<>();
    for (Object[] row : r.rows()) {
      out.add(Arrays.toString(row));
    }
    out.sort(null);
    return out;
  }

  /** Expected rows written as {@code "[1, ann]"} strings, sorted like {@link #sortedRows}. */
  public static List<String> rows(String... rows) {
    List<String> out = new ArrayList<>(Arrays.asList(rows));
    out.sort(null);
    return out;
  }

  /** Every node of a plan, pre-order. */
  public static List<LogicalPlan> nodes(LogicalPlan plan) {
    List<LogicalPlan> out = new ArrayList<>();
    collect(plan, out);
    return out;
  }

  private static void collect(LogicalPlan p, List<LogicalPlan> out) {
    out.add(p);
    for (LogicalPlan in : p.inputs()) {
      collect(in, out);
    }
  }

  public static <T extends LogicalPlan> List<T> nodes(LogicalPlan plan, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (LogicalPlan p : nodes(plan)) {
      if (type.isInstance(p)) {
        out.add(type.cast(p));
      }
    }
    return out;
  }

  /** The only scan of the table in the plan. */
  public static Scan scan(LogicalPlan plan, String table) {
    Scan found = null;
    for (Scan s : nodes(plan, Scan.class)) {
      if (s.tableName().equalsIgnoreCase(table)) {
        if (found != null) {
          throw new AssertionError("two scans of " + table + " in\n" + plan.explain());
        }
        found = s;
      }
    }
    if (found == null) {
      throw new AssertionError("no scan of " + table + " in\n" + plan.explain());
    }
    return found;
  }

  /** An expression's text without column ids: {@code (c_nation = 10)}. */
  public static String text(Expr e) {
    return e == null ? "null" : e.toString().replaceAll("#\\d+", "");
  }

  public static List<String> texts(List<Expr> exprs) {
    List<String> out = new ArrayList<>();
    for (Expr e : exprs) {
      out.add(text(e));
    }
    return out;
  }

  public static List<String> names(List<? extends io.kiln.logical.ColumnRef> cols) {
    List<String> out = new ArrayList<>();
    for (io.kiln.logical.ColumnRef c : cols) {
      out.add(c.name());
    }
    return out;
  }

  public static Field col(String name, DataType type) {
    return new Field(name, type.toFieldType(true), null);
  }

  public static Schema schema(Field... fields) {
    return new Schema(Arrays.asList(fields));
  }

  public static Object[] row(Object... values) {
    return values;
  }

  public static BigDecimal dec(String s) {
    return new BigDecimal(s);
  }

  public static LocalDate date(String s) {
    return LocalDate.parse(s);
  }

  @Override
  public void close() {
    tables.values().forEach(MemoryTable::close);
    allocator.close(); // throws if a table's buffers leaked
  }
}
