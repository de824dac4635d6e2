package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * A window function call inside an expression, as bound from SQL: it lives only until the binder
 * moves it into a {@link Window} node and puts that node's output column in its place. Its
 * children are the call's arguments, then the partition expressions, then the order keys, so
 * rewrites over expressions (after GROUP BY, say) reach all of them.
 */
public final class WindowExpr extends Expr {
  private final WindowCall call;
  private final WindowSpec spec;

  public WindowExpr(WindowCall call, WindowSpec spec) {
    this.call = call;
    this.spec = spec;
  }

  public WindowCall call() {
    return call;
  }

  public WindowSpec spec() {
    return spec;
  }

  @Override
  public DataType type() {
    return call.type();
  }

  @Override
  public List<Expr> children() {
    List<Expr> all = new ArrayList<>(call.args());
    all.addAll(spec.partitionBy());
    for (SortKey k : spec.orderBy()) {
      all.add(k.expr());
    }
    return all;
  }

  @Override
  public Expr withChildren(List<Expr> children) {
    int a = call.args().size();
    int p = spec.partitionBy().size();
    List<SortKey> order = new ArrayList<>();
    for (int i = 0; i < spec.orderBy().size(); i++) {
      order.add(spec.orderBy().get(i).withExpr(children.get(a + p + i)));
    }
    return new WindowExpr(call.withArgs(children.subList(0, a)),
        new WindowSpec(children.subList(a, a + p), order));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WindowExpr && ((WindowExpr) o).call.equals(call) && ((WindowExpr) o).spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return call.hashCode() * 31 + spec.hashCode();
  }

  @Override
  public String toString() {
    return call + " OVER (" + spec + ")";
  }
}
