package io.kiln.catalog;

import io.kiln.error.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tables by (case-insensitive) name, and user functions. Views live in the SQL layer, not here. */
public final class Catalog {
  private final Map<String, TableProvider> tables = new ConcurrentHashMap<>();
  private final FunctionRegistry functions = new FunctionRegistry();

  public FunctionRegistry functions() {
    return functions;
  }

  public void register(String name, TableProvider provider) {
    tables.put(name.toLowerCase(Locale.ROOT), provider);
  }

  public boolean drop(String name) {
    return tables.remove(name.toLowerCase(Locale.ROOT)) != null;
  }

  public TableProvider find(String name) {
    return tables.get(name.toLowerCase(Locale.ROOT));
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(tables.keySet());
    names.sort(null);
    return names;
  }

  public TableProvider get(String name) {
    TableProvider t = find(name);
    if (t == null) {
      throw KilnException.binding("unknown table " + name + io.kiln.util.Suggestions.didYouMean(name, names()));
    }
    return t;
  }
}
