package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Filter;
import io.kiln.logical.Function;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Values;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.statement.select.GroupByElement;

/**
 * GROUPING SETS, ROLLUP and CUBE, as one aggregation in one pass over its input: each input row is
 * repeated once per grouping set (a join with a small table of set numbers), the keys a set leaves
 * out are NULL in its copies, and the aggregation groups by the keys and the set number, so a NULL
 * that a set left out never merges with a NULL in the data. The same operators as any GROUP BY run
 * it, in both modes and on a cluster.
 */
final class GroupingSets {
  /** More sets than this (CUBE of 13 keys and up) is almost surely a mistake, and each costs a copy of every row. */
  private static final int MAX_SETS = 4096;

  /** Per set, which of the query's GROUP BY keys (by index) it groups by. */
  private final List<BitSet> sets;
  /** The set number's column in the repeated rows, and its output of the aggregation. */
  final ColumnRef setColumn = ColumnRef.fresh("grouping_set", DataType.INTEGER);
  final ColumnRef setOutput = ColumnRef.fresh("grouping_set", DataType.INTEGER);

  GroupingSets(List<BitSet> sets) {
    this.sets = List.copyOf(sets);
  }

  /**
   * The grouping sets a GROUP BY clause spells, each as the expressions it groups by: one set for
   * a plain GROUP BY; items combine as a cross product ({@code GROUP BY a, ROLLUP(b, c)} is
   * {@code (a, b, c), (a, b), (a)}).
   */
  static List<List<Expression>> spelled(GroupByElement groupBy) {
    List<List<Expression>> product = new ArrayList<>();
    product.add(new ArrayList<>());
    ExpressionList<?> items = groupBy.getGroupByExpressionList();
    if (items != null) {
      for (Object o : items) {
        product = cross(product, itemSets((Expression) o));
      }
    }
    if (groupBy.getGroupingSets() != null && !groupBy.getGroupingSets().isEmpty()) {
      List<List<Expression>> listed = new ArrayList<>();
      for (Object set : groupBy.getGroupingSets()) {
        listed.add(elements((Expression) set));
      }
      product = cross(product, listed);
    }
    return product;
  }

  /** The sets one GROUP BY item stands for: ROLLUP's prefixes, CUBE's subsets, or the item itself. */
  private static List<List<Expression>> itemSets(Expression item) {
    if (item instanceof net.sf.jsqlparser.expression.Function) {
      net.sf.jsqlparser.expression.Function f = (net.sf.jsqlparser.expression.Function) item;
      String name = f.getName().toLowerCase(Locale.ROOT);
      if (name.equals("rollup") || name.equals("cube")) {
        List<List<Expression>> parts = new ArrayList<>();
        if (f.getParameters() != null) {
          for (Object p : f.getParameters()) {
            parts.add(elements((Expression) p));
          }
        }
        return name.equals("rollup") ? rollup(parts) : cube(parts, f.toString());
      }
    }
    return List.of(elements(item));
  }

  private static List<List<Expression>> rollup(List<List<Expression>> parts) {
    List<List<Expression>> sets = new ArrayList<>();
    for (int n = parts.size(); n >= 0; n--) {
      List<Expression> set = new ArrayList<>();
      parts.subList(0, n).forEach(set::addAll);
      sets.add(set);
    }
    return sets;
  }

  private static List<List<Expression>> cube(List<List<Expression>> parts, String shown) {
    if (parts.size() > 12) {
      throw KilnException.unsupported(shown + " has " + parts.size() + " elements: CUBE takes at most 12 ("
          + (1 << 12) + " grouping sets)");
    }
    List<List<Expression>> sets = new ArrayList<>();
    // largest sets first, as DuckDB lists them
    for (int mask = (1 << parts.size()) - 1; mask >= 0; mask--) {
      List<Expression> set = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        if ((mask & (1 << (parts.size() - 1 - i))) != 0) {
          set.addAll(parts.get(i));
        }
      }
      sets.add(set);
    }
    return sets;
  }

  /** {@code (a, b)} as its elements, {@code ()} as none, anything else as itself. */
  private static List<Expression> elements(Expression e) {
    List<Expression> out = new ArrayList<>();
    if (e instanceof ExpressionList) {
      for (Object o : (ExpressionList<?>) e) {
        out.add((Expression) o);
      }
    } else {
      out.add(e);
    }
    return out;
  }

  private static List<List<Expression>> cross(List<List<Expression>> a, List<List<Expression>> b) {
    if ((long) a.size() * b.size() > MAX_SETS) {
      throw KilnException.unsupported("GROUP BY spells more than " + MAX_SETS + " grouping sets");
    }
    List<List<Expression>> out = new ArrayList<>();
    for (List<Expression> x : a) {
      for (List<Expression> y : b) {
        List<Expression> set = new ArrayList<>(x);
        set.addAll(y);
        out.add(set);
      }
    }
    return out;
  }

  /** The aggregation's input, its key columns and its aggregates, rewritten for the sets. */
  record Expanded(LogicalPlan input, List<ColumnRef> keyColumns, List<AggregateCall> calls) {}

  /**
   * The aggregation's input: {@code input} with each row repeated once per set, the set's number
   * in {@link #setColumn}, and {@code keys} (the GROUP BY keys over {@code input}) as columns, NULL
   * where the set leaves the key out.
   *
   * <p>An empty set (the grand total) has its row even when the input has none, as a global
   * aggregate does: the numbers are joined to the input by a LEFT join, so an empty input leaves
   * each number one row of NULLs; rows of NULLs of the other sets are dropped, and count(*) counts
   * a column that is TRUE on real rows, so that such a row counts for nothing (every other
   * aggregate skips NULLs).
   */
  Expanded expand(LogicalPlan input, List<Expr> keys, List<AggregateCall> calls) {
    List<List<Expr>> numbers = new ArrayList<>();
    List<Expr> emptySets = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      numbers.add(List.of(new Literal((long) i, DataType.INTEGER)));
      if (sets.get(i).isEmpty()) {
        emptySets.add(new Literal((long) i, DataType.INTEGER));
      }
    }
    Values setNumbers = new Values(numbers, List.of(setColumn));
    LogicalPlan repeated;
    List<AggregateCall> rewritten = calls;
    ColumnRef real = emptySets.isEmpty() ? null : ColumnRef.fresh("real_row", DataType.BOOLEAN);
    if (real == null) {
      repeated = new Join(input, setNumbers, JoinType.INNER, null);
    } else {
      List<Expr> marked = new ArrayList<>(input.output());
      marked.add(Literal.ofBoolean(true));
      List<ColumnRef> markedOut = new ArrayList<>(input.output());
      markedOut.add(real);
      LogicalPlan joined = new Join(setNumbers, new Project(input, marked, markedOut), JoinType.LEFT, null);
      repeated = new Filter(joined, Calls.or(Calls.isNull(real, true), Calls.inList(setColumn, emptySets, false)));
      rewritten = new ArrayList<>();
      for (AggregateCall c : calls) {
        rewritten.add(c.fn() == AggregateCall.Fn.COUNT_STAR
            ? new AggregateCall(AggregateCall.Fn.COUNT, real, false, c.filter(), c.type()) : c);
      }
    }
    List<Expr> exprs = new ArrayList<>(input.output());
    List<ColumnRef> outputs = new ArrayList<>(input.output());
    List<ColumnRef> keyColumns = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      List<Expr> leftOut = new ArrayList<>();
      for (int i = 0; i < sets.size(); i++) {
        if (!sets.get(i).get(k)) {
          leftOut.add(new Literal((long) i, DataType.INTEGER));
        }
      }
      Expr key = keys.get(k);
      Expr value = leftOut.isEmpty() ? key
          : Calls.caseWhen(List.of(Calls.inList(setColumn, leftOut, false)), List.of(Literal.nullOf(key.type())), key);
      ColumnRef column = ColumnRef.fresh(key instanceof ColumnRef ? ((ColumnRef) key).name() : "group" + (k + 1),
          key.type());
      exprs.add(value);
      outputs.add(column);
      keyColumns.add(column);
    }
    exprs.add(setColumn);
    outputs.add(setColumn);
    if (real != null) {
      exprs.add(real);
      outputs.add(real);
    }
    return new Expanded(new Project(repeated, exprs, outputs), keyColumns, rewritten);
  }

  /**
   * {@code grouping(k1, ..., kn)} over the aggregation's output: a bit per argument, the first the
   * highest, set where the row's grouping set leaves that key out.
   */
  Expr grouping(List<Integer> keyIndexes) {
    List<Expr> conditions = new ArrayList<>();
    List<Expr> results = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      long bits = 0;
      for (int k : keyIndexes) {
        bits = (bits << 1) | (sets.get(i).get(k) ? 0 : 1);
      }
      conditions.add(Calls.compare(Function.EQ, setOutput, new Literal((long) i, DataType.INTEGER)));
      results.add(Literal.ofLong(bits));
    }
    return Calls.caseWhen(conditions, results, null);
  }
}
