package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.List;
import java.util.Objects;

/**
 * A subquery used as a value: scalar, EXISTS, or IN. It lives only between binding and the
 * decorrelation rule, which turns it into a join; the executor never sees one.
 */
public final class SubqueryExpr extends Expr {
  public enum Kind { SCALAR, EXISTS, IN }

  private final Kind kind;
  private final LogicalPlan plan;
  /** For IN: the tested value; otherwise null. */
  private final Expr needle;

  public SubqueryExpr(Kind kind, LogicalPlan plan, Expr needle) {
    this.kind = kind;
    this.plan = plan;
    this.needle = needle;
  }

  public Kind kind() {
    return kind;
  }

  public LogicalPlan plan() {
    return plan;
  }

  public Expr needle() {
    return needle;
  }

  @Override
  public DataType type() {
    return kind == Kind.SCALAR ? plan.output().get(0).type() : DataType.BOOLEAN;
  }

  @Override
  public List<Expr> children() {
    return needle == null ? List.of() : List.of(needle);
  }

  @Override
  public Expr withChildren(List<Expr> children) {
    return children.isEmpty() ? this : new SubqueryExpr(kind, plan, children.get(0));
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return (needle != null ? needle + " IN " : kind == Kind.EXISTS ? "EXISTS " : "") + "(subquery)";
  }
}
