package io.kiln.distributed.scheduler;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live workers with a free slot, the freest first (the earliest joined among equals), so a
 * task finds its worker without a pass over every worker: that pass made each task cost time in
 * proportion to the cluster's size. Every change to a worker's busy slots goes through here, as
 * the order depends on them. Guarded by the scheduler's lock.
 */
final class FreeSlots {
  private static final Comparator<WorkerHandle> FREEST_FIRST =
      Comparator.comparingInt(WorkerHandle::free).reversed().thenComparingLong(w -> w.joinOrder);

  private final TreeSet<WorkerHandle> free = new TreeSet<>(FREEST_FIRST);
  private final Set<WorkerHandle> live = new HashSet<>();

  /** A worker joined. */
  void add(WorkerHandle w) {
    live.add(w);
    if (w.free() > 0) {
      free.add(w);
    }
  }

  /** A worker was lost or replaced: it gets no more tasks, though its slots may still be released. */
  void remove(WorkerHandle w) {
    free.remove(w);
    live.remove(w);
  }

  /** A task was given one of {@code w}'s slots. */
  void take(WorkerHandle w) {
    update(w, w.busy + 1);
  }

  /** One of {@code w}'s tasks ended, or never started. */
  void release(WorkerHandle w) {
    update(w, Math.max(0, w.busy - 1));
  }

  private void update(WorkerHandle w, int busy) {
    free.remove(w); // before the change: the set finds w by its free slots
    if (busy == 0 && w.busy > 0) {
      w.idleSinceNanos = System.nanoTime();
    }
    w.busy = busy;
    if (w.free() > 0 && live.contains(w)) {
      free.add(w);
    }
  }

  /** The freest worker, or null if none has a free slot. */
  WorkerHandle freest() {
    return free.isEmpty() ? null : free.first();
  }

  /** The freest worker whose id is not in {@code excluded}, or null. */
  WorkerHandle freest(Set<String> excluded) {
    for (WorkerHandle w : free) {
      if (!excluded.contains(w.id)) {
        return w;
      }
    }
    return null;
  }

  void clear() {
    free.clear();
    live.clear();
  }
}
