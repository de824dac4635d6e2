package io.kiln.sql;

import io.kiln.error.KilnException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.statement.select.Select;

/** Named views: the query's syntax tree, bound afresh at each use so every use gets its own columns. */
public final class Views {
  private final Map<String, Select> views = new ConcurrentHashMap<>();

  Select find(String name) {
    return views.get(Identifiers.normalize(name));
  }

  void create(String name, Select query, boolean orReplace) {
    String key = Identifiers.normalize(name);
    if (!orReplace && views.containsKey(key)) {
      throw KilnException.binding("view " + name + " already exists (use CREATE OR REPLACE VIEW)");
    }
    views.put(key, query);
  }

  void drop(String name, boolean ifExists) {
    if (views.remove(Identifiers.normalize(name)) == null && !ifExists) {
      throw KilnException.binding("view " + name + " does not exist");
    }
  }
}
