package io.kiln;

import io.kiln.catalog.Catalog;
import io.kiln.catalog.TableProvider;
import io.kiln.data.Batch;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The in-memory tables a session holds (CREATE TABLE, INSERT, Flight SQL ingest and
 * {@link Kiln#registerArrow}): registers them in the catalog and releases a table's memory when it
 * is replaced, dropped, or the session closes. A table changes only by being swapped whole for a
 * new one, so a statement that fails before the swap leaves it as it was.
 */
final class SessionTables implements AutoCloseable {
  private final Catalog catalog;
  /** Where the tables' batches live: the session's root, so they outlive every query. */
  private final BufferAllocator allocator;
  private final Map<String, MemoryTable> owned = new HashMap<>();

  SessionTables(Catalog catalog, BufferAllocator allocator) {
    this.catalog = catalog;
    this.allocator = allocator;
  }

  BufferAllocator allocator() {
    return allocator;
  }

  /** Registers {@code table} as {@code name}, releasing the in-memory table it replaces, if any. */
  synchronized void put(String name, MemoryTable table) {
    catalog.register(name, table);
    MemoryTable old = owned.put(key(name), table);
    if (old != null && old != table) {
      old.close();
    }
  }

  /**
   * Appends {@code rows} (taken over; in the table's column order and types) to in-memory table
   * {@code name}; returns the rows added.
   */
  synchronized long append(String name, List<Batch> rows) {
    MemoryTable table = owned.get(key(name));
    if (table == null) {
      rows.forEach(Batch::close);
      TableProvider other = catalog.find(name);
      throw other == null ? KilnException.binding("table " + name + " does not exist")
          : KilnException.unsupported("INSERT into " + name + " (" + other.describe() + "): only tables made with "
              + "CREATE TABLE take rows");
    }
    long added = rows.stream().mapToLong(Batch::rowCount).sum();
    put(name, table.append(rows, allocator));
    return added;
  }

  /** Removes table {@code name} from the catalog, releasing it if it is in memory; false if there was none. */
  synchronized boolean drop(String name) {
    boolean existed = catalog.drop(name);
    MemoryTable old = owned.remove(key(name));
    if (old != null) {
      old.close();
    }
    return existed;
  }

  /** Forgets an in-memory table whose name now means another kind of table (e.g. a registered file). */
  synchronized void replacedByOther(String name) {
    MemoryTable old = owned.remove(key(name));
    if (old != null) {
      old.close();
    }
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized void close() {
    owned.values().forEach(MemoryTable::close);
    owned.clear();
  }
}
