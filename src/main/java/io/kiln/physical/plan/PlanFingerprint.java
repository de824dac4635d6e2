package io.kiln.physical.plan;

import io.kiln.logical.AggregateCall;
import io.kiln.logical.Call;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.logical.UdfCall;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowCall;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A subplan's structure as text, with node ids left out and column ids numbered in order of
 * appearance: two subplans with equal fingerprints compute the same rows in the same column
 * order. A CTE or view used twice (TPC-H Q15's revenue view) is bound twice with different column
 * ids; its two copies have one fingerprint, so the query computes it once.
 */
public final class PlanFingerprint {
  private final StringBuilder out = new StringBuilder();
  private final Map<Integer, Integer> columns = new HashMap<>();

  private PlanFingerprint() {}

  public static String of(PhysicalNode node) {
    PlanFingerprint f = new PlanFingerprint();
    f.node(node);
    return f.out.toString();
  }

  private void node(PhysicalNode n) {
    out.append(n.getClass().getSimpleName()).append('(');
    for (RecordComponent c : n.getClass().getRecordComponents()) {
      if (c.getName().equals("id")) {
        continue;
      }
      out.append(c.getName()).append('=');
      try {
        value(c.getAccessor().invoke(n));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.getName() + " of " + n.describe(), e);
      }
      out.append(';');
    }
    out.append(')');
  }

  private void value(Object v) {
    if (v instanceof PhysicalNode) {
      node((PhysicalNode) v);
    } else if (v instanceof Expr) {
      expr((Expr) v);
    } else if (v instanceof List) {
      out.append('[');
      for (Object o : (List<?>) v) {
        value(o);
        out.append(',');
      }
      out.append(']');
    } else if (v instanceof AggregateCall) {
      AggregateCall a = (AggregateCall) v;
      out.append(a.udf() != null ? "udf:" + a.udf().signature() : a.fn()).append(a.distinct() ? " distinct" : "")
          .append(':').append(a.type()).append('(');
      value(a.arg());
      out.append(" by ");
      value(a.by());
      out.append(" filter ");
      value(a.filter());
      out.append(" param ");
      value(a.param());
      out.append(' ').append(a.order()).append(')');
    } else if (v instanceof WindowCall) {
      WindowCall w = (WindowCall) v;
      out.append(w.fn()).append(w.ignoreNulls() ? " ignore nulls" : "").append(':').append(w.type()).append(' ')
          .append(w.frame()).append('(');
      value(w.args());
      out.append(')');
    } else if (v instanceof SortKey) {
      SortKey k = (SortKey) v;
      expr(k.expr());
      out.append(k.ascending() ? " asc" : " desc").append(k.nullsFirst() ? " nulls first" : " nulls last");
    } else if (v instanceof String) {
      out.append('"').append(((String) v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else {
      out.append(v); // numbers, enums, booleans, optionals, column predicates (values are literals)
    }
  }

  private void expr(Expr e) {
    if (e instanceof ColumnRef) {
      ColumnRef c = (ColumnRef) e;
      out.append('$').append(columns.computeIfAbsent(c.id(), k -> columns.size())).append(':').append(c.type());
    } else if (e instanceof Literal) {
      Literal l = (Literal) e;
      out.append("lit:").append(l.type()).append(':');
      value(l.value() instanceof String ? l.value() : String.valueOf(l.value()));
    } else if (e instanceof Call) {
      Call c = (Call) e;
      out.append(c.function()).append(':').append(c.type()).append('(');
      for (Expr a : c.args()) {
        expr(a);
        out.append(',');
      }
      out.append(')');
    } else if (e instanceof UdfCall) {
      UdfCall c = (UdfCall) e;
      out.append("udf:").append(c.function().signature()).append('(');
      for (Expr a : c.args()) {
        expr(a);
        out.append(',');
      }
      out.append(')');
    } else {
      throw new IllegalStateException("a physical plan holds no " + e.getClass().getSimpleName() + ": " + e);
    }
  }
}
