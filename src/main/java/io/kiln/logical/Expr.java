package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.List;

/**
 * A bound scalar expression. Expressions are immutable and compare structurally, so the binder
 * and optimizer can find equal subexpressions (GROUP BY keys, duplicate aggregates).
 */
public abstract class Expr {
  public abstract DataType type();

  public abstract List<Expr> children();

  public abstract Expr withChildren(List<Expr> children);

  @Override
  public abstract boolean equals(Object o);

  @Override
  public abstract int hashCode();
}
