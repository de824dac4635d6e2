package io.kiln.logical;

/** One ORDER BY key. */
public final class SortKey {
  private final Expr expr;
  private final boolean ascending;
  private final boolean nullsFirst;

  public SortKey(Expr expr, boolean ascending, boolean nullsFirst) {
    this.expr = expr;
    this.ascending = ascending;
    this.nullsFirst = nullsFirst;
  }

  public Expr expr() {
    return expr;
  }

  public boolean ascending() {
    return ascending;
  }

  public boolean nullsFirst() {
    return nullsFirst;
  }

  public SortKey withExpr(Expr e) {
    return new SortKey(e, ascending, nullsFirst);
  }

  @Override
  public String toString() {
    return expr + (ascending ? " ASC" : " DESC") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SortKey && ((SortKey) o).expr.equals(expr) && ((SortKey) o).ascending == ascending
        && ((SortKey) o).nullsFirst == nullsFirst;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(expr, ascending, nullsFirst);
  }
}
