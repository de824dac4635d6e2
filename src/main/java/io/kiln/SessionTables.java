package io.kiln;

import io.kiln.catalog.Catalog;
import io.kiln.catalog.TableProvider;
import io.kiln.data.Batch;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The in-memory tables a session holds (CREATE TABLE, INSERT, Flight SQL ingest and
 * {@link Kiln#registerArrow}): registers them in the catalog and releases a table's memory once it
 * has been replaced or dropped and no query that may still read it runs, or when the session
 * closes. A table changes only by being swapped whole for a new one, so a statement that fails
 * before the swap leaves it as it was.
 */
final class SessionTables implements AutoCloseable {
  private final Catalog catalog;
  /** Where the tables' batches live: the session's root, so they outlive every query. */
  private final BufferAllocator allocator;
  private final Map<String, MemoryTable> owned = new HashMap<>();
  /**
   * Tables replaced or dropped: out of the catalog, but a query bound before that may still scan
   * them, so they are released only when no query runs ({@link #releaseRetired}).
   */
  private final List<MemoryTable> retired = new ArrayList<>();

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
      retired.add(old);
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
      retired.add(old);
    }
    return existed;
  }

  /** Forgets an in-memory table whose name now means another kind of table (e.g. a registered file). */
  synchronized void replacedByOther(String name) {
    MemoryTable old = owned.remove(key(name));
    if (old != null) {
      retired.add(old);
    }
  }

  /** Releases the replaced and dropped tables; the caller knows no query runs that may read them. */
  synchronized void releaseRetired() {
    retired.forEach(MemoryTable::close);
    retired.clear();
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized void close() {
    releaseRetired();
    owned.values().forEach(MemoryTable::close);
    owned.clear();
  }
}
