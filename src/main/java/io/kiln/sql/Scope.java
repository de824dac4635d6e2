package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.ColumnRef;
import io.kiln.util.Suggestions;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns visible at one point of a query, each with the qualifier (table name or alias) it
 * can be named by; {@code outer} is the enclosing query's scope, for correlated subqueries.
 */
final class Scope {
  static final class Entry {
    final String qualifier;
    final String name;
    final ColumnRef column;
    /**
     * A side's own column of a USING or NATURAL join's shared name: named with its table only, as
     * the unqualified name is the joined column's, and left out of {@code *}.
     */
    final boolean qualifiedOnly;

    Entry(String qualifier, String name, ColumnRef column) {
      this(qualifier, name, column, false);
    }

    private Entry(String qualifier, String name, ColumnRef column, boolean qualifiedOnly) {
      this.qualifier = qualifier == null ? null : Identifiers.normalize(qualifier);
      this.name = Identifiers.normalize(name);
      this.column = column;
      this.qualifiedOnly = qualifiedOnly;
    }
  }

  final List<Entry> entries;
  final Scope outer;

  Scope(List<Entry> entries, Scope outer) {
    this.entries = List.copyOf(entries);
    this.outer = outer;
  }

  static Scope of(String qualifier, List<ColumnRef> columns, Scope outer) {
    List<Entry> e = new ArrayList<>();
    for (ColumnRef c : columns) {
      e.add(new Entry(qualifier, c.name(), c));
    }
    return new Scope(e, outer);
  }

  Scope merge(Scope right) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(right.entries);
    return new Scope(all, outer);
  }

  /**
   * The scope of a join USING (or NATURAL on) {@code names}: each name, unqualified, stands for the
   * column the join gives it ({@code joined}, in order), in the place of the left side's column (as
   * DuckDB lists them for {@code *}); both sides' own columns of those names can still be named
   * with their table, and {@code *} leaves them out.
   */
  Scope mergeUsing(Scope right, List<String> names, List<ColumnRef> joined) {
    List<Entry> all = new ArrayList<>();
    for (Entry e : entries) {
      if (!names.contains(e.name) || e.qualifiedOnly) {
        all.add(e);
        continue;
      }
      if (all.stream().noneMatch(a -> a.qualifier == null && a.name.equals(e.name))) {
        all.add(new Entry(null, e.name, joined.get(names.indexOf(e.name))));
      }
      if (e.qualifier != null) {
        all.add(new Entry(e.qualifier, e.name, e.column, true));
      } // else a column no table names (an earlier join's USING column): the new one replaces it
    }
    for (Entry e : right.entries) {
      if (!names.contains(e.name) || e.qualifiedOnly) {
        all.add(e);
      } else if (e.qualifier != null) {
        all.add(new Entry(e.qualifier, e.name, e.column, true));
      }
    }
    return new Scope(all, outer);
  }

  Scope withOuter(Scope newOuter) {
    return new Scope(entries, newOuter);
  }

  List<ColumnRef> columns() {
    List<ColumnRef> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.column);
    }
    return out;
  }

  /** The column for {@code qualifier.name} (qualifier may be null), searching outward; null if none. */
  ColumnRef find(String qualifier, String name) {
    String q = qualifier == null ? null : Identifiers.normalize(qualifier);
    String n = Identifiers.normalize(name);
    ColumnRef found = null;
    for (Entry e : entries) {
      if (e.name.equals(n) && (q == null ? !e.qualifiedOnly : q.equals(e.qualifier))) {
        if (found != null && !found.equals(e.column)) {
          throw KilnException.binding("column reference " + (q == null ? "" : q + ".") + name + " is ambiguous"
              + " (qualify it with a table name)");
        }
        found = e.column;
      }
    }
    if (found == null && outer != null) {
      return outer.find(qualifier, name);
    }
    return found;
  }

  boolean hasQualifier(String qualifier) {
    String q = Identifiers.normalize(qualifier);
    for (Entry e : entries) {
      if (q.equals(e.qualifier)) {
        return true;
      }
    }
    return outer != null && outer.hasQualifier(qualifier);
  }

  String suggestion(String name) {
    List<String> names = new ArrayList<>();
    for (Scope s = this; s != null; s = s.outer) {
      for (Entry e : s.entries) {
        names.add(e.name);
      }
    }
    return Suggestions.didYouMean(name, names);
  }
}
