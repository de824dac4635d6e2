package io.kiln.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The session's user functions by (case-insensitive) name; a new registration replaces the old. */
public final class FunctionRegistry {
  private final Map<String, ScalarUdf> scalars = new ConcurrentHashMap<>();

  public void register(ScalarUdf f) {
    scalars.put(f.name(), f);
  }

  public boolean drop(String name) {
    return scalars.remove(name.toLowerCase(Locale.ROOT)) != null;
  }

  /** The scalar function called {@code name}, or null. */
  public ScalarUdf scalar(String name) {
    return scalars.get(name.toLowerCase(Locale.ROOT));
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(scalars.keySet());
    names.sort(null);
    return names;
  }
}
