package io.kiln.sql;

import io.kiln.KilnException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.statement.select.Select;

/** Named views: the query's syntax tree, bound afresh at each use so every use gets its own columns. */
public final class Views {
  private final Map<String, Select> views = new ConcurrentHashMap<>();

  Select find(String name) {
    return views.get(name.toLowerCase(Locale.ROOT));
  }

  void create(String name, Select query, boolean orReplace) {
    String key = name.toLowerCase(Locale.ROOT);
    if (!orReplace && views.containsKey(key)) {
      throw KilnException.binding("view " + name + " already exists (use CREATE OR REPLACE VIEW)");
    }
    views.put(key, query);
  }

  void drop(String name, boolean ifExists) {
    if (views.remove(name.toLowerCase(Locale.ROOT)) == null && !ifExists) {
      throw KilnException.binding("view " + name + " does not exist");
    }
  }
}
