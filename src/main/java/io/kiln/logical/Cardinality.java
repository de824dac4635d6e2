package io.kiln.logical;

import java.util.List;

/**
 * Row-count estimates for choosing join order and build sides: exact counts from sources where
 * known, fixed selectivities for predicates, and the foreign-key assumption for equi-joins (the
 * result is about as large as the larger input).
 */
public final class Cardinality {
  private static final double UNKNOWN_TABLE_ROWS = 1_000_000;

  private Cardinality() {}

  public static double rows(LogicalPlan plan) {
    if (plan instanceof Scan) {
      Scan s = (Scan) plan;
      double rows = s.provider().statistics().rowCount().isPresent()
          ? s.provider().statistics().rowCount().getAsLong() : UNKNOWN_TABLE_ROWS;
      for (Expr f : s.filters()) {
        rows *= selectivity(f);
      }
      return s.limit().isPresent() ? Math.min(rows, s.limit().getAsLong()) : Math.max(rows, 1);
    }
    if (plan instanceof Filter) {
      double rows = rows(plan.input());
      for (Expr c : Exprs.conjuncts(((Filter) plan).condition())) {
        rows *= selectivity(c);
      }
      return Math.max(rows, 1);
    }
    if (plan instanceof Join) {
      Join j = (Join) plan;
      double l = rows(j.left());
      double r = rows(j.right());
      switch (j.type()) {
        case SEMI:
        case ANTI:
          return Math.max(l * 0.5, 1);
        case MARK:
        case SINGLE:
          return l;
        default: {
          double rows = innerJoinRows(j, l, r);
          // Outer joins keep every row of their preserved side(s).
          if (j.type() == JoinType.LEFT || j.type() == JoinType.FULL) {
            rows = Math.max(rows, l);
          }
          if (j.type() == JoinType.RIGHT || j.type() == JoinType.FULL) {
            rows = Math.max(rows, r);
          }
          return rows;
        }
      }
    }
    if (plan instanceof Aggregate) {
      Aggregate a = (Aggregate) plan;
      return a.groupKeys().isEmpty() ? 1 : Math.max(1, rows(a.input()) * 0.1);
    }
    if (plan instanceof Limit) {
      Limit l = (Limit) plan;
      double in = rows(l.input());
      return l.limit() < 0 ? in : Math.min(in, l.limit());
    }
    if (plan instanceof Union) {
      double sum = 0;
      for (LogicalPlan in : plan.inputs()) {
        sum += rows(in);
      }
      return sum;
    }
    if (plan instanceof Values) {
      return ((Values) plan).rows().size();
    }
    List<LogicalPlan> inputs = plan.inputs();
    return inputs.isEmpty() ? 1 : rows(inputs.get(0));
  }

  /**
   * The groups an aggregation is expected to make: the product of its keys' distinct counts (from
   * the base tables' statistics, or their row counts) where every key is a column that has one,
   * at most the input's rows; else a tenth of the input's rows. A global aggregation makes one.
   */
  public static double groups(Aggregate a) {
    if (a.groupKeys().isEmpty()) {
      return 1;
    }
    double input = rows(a.input());
    double product = 1;
    for (Expr k : a.groupKeys()) {
      double d = k instanceof ColumnRef ? baseDistinct((ColumnRef) k, a.input(), false) : -1;
      if (d < 0) {
        return Math.max(1, input * 0.1);
      }
      product *= Math.max(1, d);
    }
    return Math.max(1, Math.min(input, product));
  }

  /**
   * Equi-joins: with distinct counts for both keys, |L|·|R| / max(distinct keys); otherwise each key
   * is taken as a foreign key into the side whose base table is smaller (its primary key), giving
   * |L|·|R| / rows(that table); with no base tables to trace, as large as the larger input.
   */
  private static double innerJoinRows(Join j, double l, double r) {
    if (j.condition() == null) {
      return l * r;
    }
    if (!hasEquality(j.condition())) {
      // A nested loop keeps the pairs its condition does (TPC-H Q7: 2 of the 625 pairs of nations).
      return Math.max(1, l * r * selectivity(j.condition()));
    }
    double divisor = 0;
    for (Expr c : Exprs.conjuncts(j.condition())) {
      if (isEquality(c) && ((Call) c).arg(0) instanceof ColumnRef && ((Call) c).arg(1) instanceof ColumnRef) {
        ColumnRef a = (ColumnRef) ((Call) c).arg(0);
        ColumnRef b = (ColumnRef) ((Call) c).arg(1);
        double da = baseDistinct(a, j, true);
        double db = baseDistinct(b, j, true);
        double d;
        if (da > 0 && db > 0) {
          d = Math.max(Math.min(da, rows(sideOf(a, j))), Math.min(db, rows(sideOf(b, j))));
        } else {
          double ra = baseDistinct(a, j, false);
          double rb = baseDistinct(b, j, false);
          d = ra > 0 && rb > 0 ? Math.min(ra, rb) : 0;
        }
        divisor = Math.max(divisor, d);
      }
    }
    double rows = divisor > 0 ? l * r / divisor : Math.max(l, r);
    for (Expr c : Exprs.conjuncts(j.condition())) {
      if (!isEquality(c)) {
        rows *= selectivity(c);
      }
    }
    return Math.max(rows, 1);
  }

  private static LogicalPlan sideOf(ColumnRef c, LogicalPlan join) {
    for (LogicalPlan in : join.inputs()) {
      if (in.output().contains(c)) {
        return in;
      }
    }
    return join;
  }

  /**
   * For the base-table column a column is read from (through renames): its distinct count from
   * statistics ({@code statsOnly}), or else the table's row count; -1 when unknown.
   */
  static double baseDistinct(ColumnRef c, LogicalPlan plan, boolean statsOnly) {
    if (!plan.output().contains(c)) {
      return -1;
    }
    if (plan instanceof Scan) {
      Scan s = (Scan) plan;
      java.util.OptionalLong ndv = s.provider().statistics().distinctCount(c.name());
      if (ndv.isPresent() || statsOnly) {
        return ndv.isPresent() ? ndv.getAsLong() : -1;
      }
      return s.provider().statistics().rowCount().isPresent() ? s.provider().statistics().rowCount().getAsLong() : -1;
    }
    if (plan instanceof Project) {
      Project p = (Project) plan;
      Expr e = p.exprs().get(p.output().indexOf(c));
      return e instanceof ColumnRef ? baseDistinct((ColumnRef) e, p.input(), statsOnly) : -1;
    }
    if (plan instanceof Aggregate) {
      Aggregate a = (Aggregate) plan;
      int k = a.groupOutputs().indexOf(c);
      // A single grouping key is unique in the aggregate's output.
      return k >= 0 && a.groupKeys().size() == 1 ? rows(a) : -1;
    }
    if (plan instanceof Union || plan instanceof Values) {
      return -1;
    }
    for (LogicalPlan in : plan.inputs()) {
      if (in.output().contains(c)) {
        return baseDistinct(c, in, statsOnly);
      }
    }
    return -1;
  }

  static boolean hasEquality(Expr condition) {
    for (Expr c : Exprs.conjuncts(condition)) {
      if (isEquality(c)) {
        return true;
      }
    }
    return false;
  }

  static boolean isEquality(Expr c) {
    return c instanceof Call && (((Call) c).function() == Function.EQ
        || ((Call) c).function() == Function.IS_NOT_DISTINCT_FROM);
  }

  /** A guess at the fraction of rows a predicate keeps. */
  public static double selectivity(Expr e) {
    if (!(e instanceof Call)) {
      return 0.5;
    }
    Call c = (Call) e;
    switch (c.function()) {
      case EQ:
        return 0.1;
      case NE:
        return 0.9;
      case LT: case LE: case GT: case GE:
        return 0.4;
      case LIKE:
        return 0.2;
      case IN_LIST:
        return Math.min(0.5, 0.05 * (c.args().size() - 1));
      case AND: {
        double s = 1;
        for (Expr a : c.args()) {
          s *= selectivity(a);
        }
        return s;
      }
      case OR: {
        double keep = 0;
        for (Expr a : c.args()) {
          keep += selectivity(a);
        }
        return Math.min(1, keep);
      }
      case NOT:
        return 1 - selectivity(c.arg(0)) * 0.5;
      case IS_NULL:
        return 0.1;
      default:
        return 0.5;
    }
  }
}
