package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Small structural helpers over expressions. */
public final class Exprs {
  private Exprs() {}

  /** Bottom-up rewrite: children first, then the node itself. */
  public static Expr transform(Expr e, UnaryOperator<Expr> fn) {
    List<Expr> children = e.children();
    if (!children.isEmpty()) {
      List<Expr> newChildren = new ArrayList<>(children.size());
      boolean changed = false;
      for (Expr c : children) {
        Expr n = transform(c, fn);
        changed |= n != c;
        newChildren.add(n);
      }
      if (changed) {
        e = e.withChildren(newChildren);
      }
    }
    return fn.apply(e);
  }

  /** Replaces columns by the expressions the map gives for them. */
  public static Expr substitute(Expr e, Map<ColumnRef, Expr> map) {
    if (map.isEmpty()) {
      return e;
    }
    return transform(e, x -> x instanceof ColumnRef && map.containsKey(x) ? map.get(x) : x);
  }

  public static Set<ColumnRef> columns(Expr e) {
    Set<ColumnRef> out = new LinkedHashSet<>();
    collectColumns(e, out);
    return out;
  }

  public static void collectColumns(Expr e, Set<ColumnRef> out) {
    if (e instanceof ColumnRef) {
      out.add((ColumnRef) e);
    } else if (e instanceof SubqueryExpr) {
      SubqueryExpr s = (SubqueryExpr) e;
      if (s.needle() != null) {
        collectColumns(s.needle(), out);
      }
      out.addAll(Plans.freeColumns(s.plan()));
    } else {
      for (Expr c : e.children()) {
        collectColumns(c, out);
      }
    }
  }

  public static boolean containsSubquery(Expr e) {
    if (e instanceof SubqueryExpr) {
      return true;
    }
    for (Expr c : e.children()) {
      if (containsSubquery(c)) {
        return true;
      }
    }
    return false;
  }

  /** Each expression's type, in order. */
  public static List<DataType> types(List<? extends Expr> exprs) {
    List<DataType> out = new ArrayList<>();
    for (Expr e : exprs) {
      out.add(e.type());
    }
    return out;
  }

  public static List<Expr> conjuncts(Expr e) {
    List<Expr> out = new ArrayList<>();
    addConjuncts(e, out);
    return out;
  }

  private static void addConjuncts(Expr e, List<Expr> out) {
    if (e instanceof Call && ((Call) e).function() == Function.AND) {
      for (Expr c : e.children()) {
        addConjuncts(c, out);
      }
    } else {
      out.add(e);
    }
  }

  /** AND of the conjuncts; null for none. */
  public static Expr and(List<Expr> conjuncts) {
    if (conjuncts.isEmpty()) {
      return null;
    }
    Expr result = conjuncts.get(0);
    for (int i = 1; i < conjuncts.size(); i++) {
      result = Call.of(Function.AND, DataType.BOOLEAN, result, conjuncts.get(i));
    }
    return result;
  }

  public static boolean isTrue(Expr e) {
    return e instanceof Literal && Boolean.TRUE.equals(((Literal) e).value());
  }
}
