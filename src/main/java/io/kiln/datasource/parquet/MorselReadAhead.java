package io.kiln.datasource.parquet;

import io.kiln.datasource.objectstore.ReadAhead;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Reads ahead of one scan's workers: when a morsel starts, the I/O of the next morsels in plan
 * order (the order workers take them in) that no worker has started begins on the store's
 * read-ahead threads, with at most {@link ReadAhead#morsels} fetched and not yet taken. Only I/O
 * runs ahead; decompressing and decoding stay on the workers. As in DataFusion's row-group
 * prefetch, one or two morsels ahead hide a request's latency; more only holds more memory.
 */
final class MorselReadAhead {
  private final ReadAhead policy;
  /** The scan's morsels in plan order; a task's index here is its place. */
  private final List<RowGroupScanTask> tasks = new ArrayList<>();
  /** Morsels a worker has begun, or that will never run. */
  private final BitSet started = new BitSet();
  private final Map<Integer, PrefetchedMorsel> pending = new HashMap<>();
  /** The next morsel to consider reading ahead; all before it are started or pending. */
  private int next;

  MorselReadAhead(ReadAhead policy) {
    this.policy = policy;
  }

  /** Adds the scan's next morsel (at planning); returns its place. */
  synchronized int add(RowGroupScanTask task) {
    tasks.add(task);
    return tasks.size() - 1;
  }

  /**
   * Morsel {@code place} is starting on a worker: returns what was read ahead for it (or null), and
   * begins reading ahead for the next morsels. {@code allocator} is the query's: the bytes read
   * ahead are reserved in it.
   */
  synchronized PrefetchedMorsel starting(int place, BufferAllocator allocator) {
    started.set(place);
    PrefetchedMorsel mine = pending.remove(place);
    next = Math.max(next, place + 1);
    while (pending.size() < policy.morsels() && next < tasks.size()) {
      if (!started.get(next)) {
        PrefetchedMorsel p = PrefetchedMorsel.start(tasks.get(next), allocator, policy.executor());
        if (p == null) {
          break; // no memory to spare: try again when the next morsel starts
        }
        pending.put(next, p);
      }
      next++;
    }
    return mine;
  }

  /** Morsel {@code place} will not run (or has run): releases what was read ahead for it. */
  void closing(int place) {
    PrefetchedMorsel unused;
    synchronized (this) {
      started.set(place);
      unused = pending.remove(place);
    }
    if (unused != null) {
      unused.drop();
    }
  }
}
