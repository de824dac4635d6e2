package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A column produced by some plan node. Each column has a unique id for the life of the JVM, so
 * rewrites move expressions between nodes without renumbering; names are for display only.
 */
public final class ColumnRef extends Expr {
  private static final AtomicInteger NEXT_ID = new AtomicInteger();

  private final int id;
  private final String name;
  private final DataType type;

  private ColumnRef(int id, String name, DataType type) {
    this.id = id;
    this.name = name;
    this.type = type;
  }

  public static ColumnRef fresh(String name, DataType type) {
    return new ColumnRef(NEXT_ID.incrementAndGet(), name, type);
  }

  /**
   * A column with the id another process gave it: a deserialized plan keeps the sender's ids (see
   * {@link io.kiln.physical.plan.PlanProto}). Columns made here afterwards get higher ids, so a
   * {@link #fresh} column never takes the id of one received.
   */
  public static ColumnRef withId(int id, String name, DataType type) {
    NEXT_ID.accumulateAndGet(id, Math::max);
    return new ColumnRef(id, name, type);
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** The same column under another display name. */
  public ColumnRef renamed(String newName) {
    return new ColumnRef(id, newName, type);
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public List<Expr> children() {
    return List.of();
  }

  @Override
  public Expr withChildren(List<Expr> children) {
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnRef && ((ColumnRef) o).id == id;
  }

  @Override
  public int hashCode() {
    return id;
  }

  @Override
  public String toString() {
    return name + "#" + id;
  }
}
