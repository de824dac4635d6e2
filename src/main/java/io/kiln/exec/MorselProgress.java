package io.kiln.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far each pipeline of a running query has come: the morsels it was given when it started and
 * those that have run, by pipeline id. Read while the query runs (a dashboard's progress bars).
 */
public final class MorselProgress {
  private final Map<Integer, AtomicInteger> planned = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> ran = new ConcurrentHashMap<>();

  void started(int pipeline, int morsels) {
    planned.computeIfAbsent(pipeline, p -> new AtomicInteger()).set(morsels);
  }

  void morselRan(int pipeline) {
    ran.computeIfAbsent(pipeline, p -> new AtomicInteger()).incrementAndGet();
  }

  /** The morsels the pipeline was given; 0 before it started. */
  public int planned(int pipeline) {
    AtomicInteger n = planned.get(pipeline);
    return n == null ? 0 : n.get();
  }

  /** The morsels of the pipeline that have run. */
  public int ran(int pipeline) {
    AtomicInteger n = ran.get(pipeline);
    return n == null ? 0 : n.get();
  }
}
