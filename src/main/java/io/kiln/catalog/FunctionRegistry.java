package io.kiln.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session's user functions by (case-insensitive) name; a new registration replaces the old,
 * scalar or aggregate, so a name means one function.
 */
public final class FunctionRegistry {
  private final Map<String, ScalarUdf> scalars = new ConcurrentHashMap<>();
  private final Map<String, AggregateUdf> aggregates = new ConcurrentHashMap<>();

  public synchronized void register(ScalarUdf f) {
    aggregates.remove(f.name());
    scalars.put(f.name(), f);
  }

  public synchronized void register(AggregateUdf f) {
    scalars.remove(f.name());
    aggregates.put(f.name(), f);
  }

  public synchronized boolean drop(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    return scalars.remove(key) != null | aggregates.remove(key) != null;
  }

  /** The aggregate function called {@code name}, or null. */
  public AggregateUdf aggregate(String name) {
    return aggregates.get(name.toLowerCase(Locale.ROOT));
  }

  /** The scalar function called {@code name}, or null. */
  public ScalarUdf scalar(String name) {
    return scalars.get(name.toLowerCase(Locale.ROOT));
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(scalars.keySet());
    names.addAll(aggregates.keySet());
    names.sort(null);
    return names;
  }
}
