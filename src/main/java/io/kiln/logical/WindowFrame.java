package io.kiln.logical;

/**
 * A window function's frame: the rows of its partition, around the current row, that it reads.
 * {@code ROWS} counts rows; {@code RANGE} compares the single ORDER BY key's value (an offset is
 * then a value of that key's type) and takes the current row's peers with it.
 */
public record WindowFrame(Units units, Bound start, Bound end) {
  public enum Units { ROWS, RANGE }

  public enum BoundKind { UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING }

  /** One end of a frame; {@code offset} (a non-negative {@link Literal}) only for PRECEDING and FOLLOWING. */
  public record Bound(BoundKind kind, Literal offset) {
    public Bound {
      if ((kind == BoundKind.PRECEDING || kind == BoundKind.FOLLOWING) != (offset != null)) {
        throw new IllegalArgumentException(kind + (offset == null ? " needs an offset" : " takes no offset"));
      }
    }

    public static Bound of(BoundKind kind) {
      return new Bound(kind, null);
    }

    @Override
    public String toString() {
      String name = kind.name().replace('_', ' ');
      return offset == null ? name : offset.value() + " " + name;
    }
  }

  /** SQL's default: with ORDER BY, RANGE from the partition's start to the current row's last peer. */
  public static final WindowFrame RUNNING = new WindowFrame(Units.RANGE, Bound.of(BoundKind.UNBOUNDED_PRECEDING),
      Bound.of(BoundKind.CURRENT_ROW));
  /** SQL's default without ORDER BY: every row of the partition (all rows are peers). */
  public static final WindowFrame WHOLE_PARTITION = new WindowFrame(Units.ROWS,
      Bound.of(BoundKind.UNBOUNDED_PRECEDING), Bound.of(BoundKind.UNBOUNDED_FOLLOWING));

  @Override
  public String toString() {
    return units + " BETWEEN " + start + " AND " + end;
  }
}
