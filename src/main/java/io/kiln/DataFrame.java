package io.kiln;

import io.kiln.error.KilnException;
import io.kiln.logical.Aggregate;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Filter;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.Limit;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Sort;
import io.kiln.logical.SortKey;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A query built step by step; each step returns a new DataFrame over the same logical plan nodes
 * the SQL binder builds, so both go through one optimizer and executor. Nothing runs until
 * {@link #collect()} or {@link #show()}.
 */
public final class DataFrame {
  private final Kiln kiln;
  private final LogicalPlan plan;

  DataFrame(Kiln kiln, LogicalPlan plan) {
    this.kiln = kiln;
    this.plan = plan;
  }

  public LogicalPlan logicalPlan() {
    return plan;
  }

  public List<String> columns() {
    List<String> names = new ArrayList<>();
    for (ColumnRef c : plan.output()) {
      names.add(c.name());
    }
    return names;
  }

  public DataFrame filter(Column condition) {
    Expr e = Calls.requireBoolean(condition.bind(new Column.Scope(plan.output(), false)), "filter");
    return new DataFrame(kiln, new Filter(plan, e));
  }

  public DataFrame select(Column... columns) {
    List<Expr> exprs = new ArrayList<>();
    List<ColumnRef> outs = new ArrayList<>();
    for (Column c : columns) {
      Expr e = c.bind(new Column.Scope(plan.output(), false));
      exprs.add(e);
      outs.add(ColumnRef.fresh(c.name(), e.type()));
    }
    return new DataFrame(kiln, new Project(plan, exprs, outs));
  }

  public GroupedData groupBy(Column... keys) {
    return new GroupedData(Arrays.asList(keys));
  }

  /** Aggregates over all rows (one result row). */
  public DataFrame agg(Column... aggregates) {
    return groupBy().agg(aggregates);
  }

  /** Grouping keys waiting for their aggregates. */
  public final class GroupedData {
    private final List<Column> keys;

    GroupedData(List<Column> keys) {
      this.keys = keys;
    }

    public DataFrame agg(Column... aggregates) {
      Column.Scope scope = new Column.Scope(plan.output(), true);
      List<Expr> keyExprs = new ArrayList<>();
      List<ColumnRef> keyOuts = new ArrayList<>();
      for (Column k : keys) {
        Expr e = k.bind(new Column.Scope(plan.output(), false));
        keyExprs.add(e);
        keyOuts.add(ColumnRef.fresh(k.name(), e.type()));
      }
      List<Expr> results = new ArrayList<>();
      for (Column a : aggregates) {
        results.add(a.bind(scope));
      }
      Aggregate agg = new Aggregate(plan, keyExprs, keyOuts, scope.calls, scope.callOutputs);
      // Output: the keys, then each requested aggregate expression under its name.
      List<Expr> exprs = new ArrayList<>(keyOuts);
      List<ColumnRef> outs = new ArrayList<>(keyOuts);
      for (int i = 0; i < aggregates.length; i++) {
        exprs.add(results.get(i));
        outs.add(ColumnRef.fresh(aggregates[i].name(), results.get(i).type()));
      }
      return new DataFrame(kiln, new Project(agg, exprs, outs));
    }
  }

  /** Sorts by columns of this DataFrame ({@code col("x").desc()} for descending; NULLs last). */
  public DataFrame orderBy(Column... keys) {
    List<SortKey> sortKeys = new ArrayList<>();
    for (Column k : keys) {
      Expr e = k.bind(new Column.Scope(plan.output(), false));
      if (!(e instanceof ColumnRef)) {
        throw KilnException.unsupported("orderBy takes columns; select the expression first: " + k);
      }
      sortKeys.add(new SortKey(e, k.ascending(), !k.ascending()));
    }
    return new DataFrame(kiln, new Sort(plan, sortKeys));
  }

  public DataFrame limit(long n) {
    return new DataFrame(kiln, new Limit(plan, n, 0));
  }

  /**
   * Joins with another DataFrame of the same session. The condition sees both sides' columns;
   * {@code type} is inner, left, right, full, semi or anti.
   */
  public DataFrame join(DataFrame other, Column condition, String type) {
    if (other.kiln != kiln) {
      throw KilnException.binding("cannot join DataFrames of different sessions");
    }
    List<ColumnRef> both = new ArrayList<>(plan.output());
    both.addAll(other.plan.output());
    Expr on = condition == null ? null : Calls.requireBoolean(condition.bind(new Column.Scope(both, false)), "join");
    JoinType t;
    try {
      t = JoinType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw KilnException.binding("unknown join type " + type + " (inner, left, right, full, semi, anti)");
    }
    if (t == JoinType.MARK || t == JoinType.SINGLE) {
      throw KilnException.binding("join type " + type + " is internal; use inner, left, right, full, semi or anti");
    }
    return new DataFrame(kiln, new Join(plan, other.plan, t, on));
  }

  public Result collect() {
    return kiln.run(plan);
  }

  /** The result as Arrow batches (standard Arrow types) from {@code allocator}; close them when done. */
  public List<org.apache.arrow.vector.VectorSchemaRoot> collectArrow(org.apache.arrow.memory.BufferAllocator allocator) {
    return kiln.runArrow(plan, allocator);
  }

  /** Prints up to 20 rows as a table. */
  public void show() {
    show(System.out, 20);
  }

  public void show(PrintStream out, int maxRows) {
    Result r = limit(maxRows).collect();
    int n = r.columnNames().size();
    int[] width = new int[n];
    List<String[]> cells = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      width[c] = r.columnNames().get(c).length();
    }
    for (Object[] row : r.rows()) {
      String[] s = new String[n];
      for (int c = 0; c < n; c++) {
        s[c] = row[c] == null ? "NULL" : row[c] instanceof java.math.BigDecimal
            ? ((java.math.BigDecimal) row[c]).toPlainString() : row[c].toString();
        width[c] = Math.max(width[c], s[c].length());
      }
      cells.add(s);
    }
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < n; c++) {
      sb.append(String.format("%-" + width[c] + "s  ", r.columnNames().get(c)));
    }
    out.println(sb.toString().stripTrailing());
    for (String[] s : cells) {
      sb.setLength(0);
      for (int c = 0; c < n; c++) {
        sb.append(String.format("%-" + width[c] + "s  ", s[c]));
      }
      out.println(sb.toString().stripTrailing());
    }
    out.println("(" + r.rowCount() + " rows)");
  }

  public String explain() {
    return kiln.explain(plan);
  }
}
