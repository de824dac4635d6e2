package io.kiln.physical.plan;

/**
 * A scan's rows may be narrowed to those whose {@code column} (an index in the table's schema)
 * holds a value of build key number {@code key} of join {@code joinId}, once that join's build
 * side is complete: rows with other values cannot reach the join's result. Only a hint; a scan
 * that runs apart from the join (another stage of a cluster) ignores it.
 */
public record RuntimeFilter(int joinId, int key, int column) {
  @Override
  public String toString() {
    return "#" + column + " IN keys of join " + joinId + (key == 0 ? "" : " key " + key);
  }
}
