package io.kiln.testing;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.distributed.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Kiln sessions a correctness suite runs its queries on, by name: sessions in this process, or
 * sessions on a {@link LocalCluster} of worker processes that this object starts and stops.
 * Closing closes every session and the cluster, and fails if a session leaked Arrow memory, or a
 * worker outlived the cluster or exited with an error (a worker that leaked memory or left files
 * fails its own close).
 */
public final class SuiteSessions implements AutoCloseable {
  private final Map<String, Kiln> sessions = new LinkedHashMap<>();
  private final LocalCluster cluster;

  private SuiteSessions(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /** A session per execution mode and thread count, named like "compiled, 2 threads". */
  public static SuiteSessions inProcess(List<Integer> threadCounts) {
    SuiteSessions s = new SuiteSessions(null);
    try {
      for (ExecutionMode mode : Modes.all()) {
        for (int threads : threadCounts) {
          s.sessions.put(inProcessName(mode, threads), Modes.builder(mode).threads(threads).build());
        }
      }
    } catch (RuntimeException e) {
      s.closeAfter(e);
    }
    return s;
  }

  /** Names the session that {@link #withoutRuntimeFilters} adds. */
  public static final String WITHOUT_RUNTIME_FILTERS = "compiled, 2 threads, no runtime filters";

  /** These sessions and one more in this process, compiled at 2 threads with runtime filters off. */
  public SuiteSessions withoutRuntimeFilters() {
    try {
      sessions.put(WITHOUT_RUNTIME_FILTERS, Modes.builder(ExecutionMode.COMPILED).threads(2).runtimeFilters(false)
          .build());
    } catch (RuntimeException e) {
      closeAfter(e);
    }
    return this;
  }

  public static String inProcessName(ExecutionMode mode, int threads) {
    return mode.name().toLowerCase(Locale.ROOT) + ", " + threads + (threads == 1 ? " thread" : " threads");
  }

  /**
   * A cluster of {@code workers} worker processes of {@code slotsPerWorker} slots and
   * {@code workerHeap} of heap each, and two sessions on it, one per execution mode: interpreted
   * with every join a shuffle join ("interpreted, shuffle joins"), compiled with build sides of up
   * to a million rows broadcast ("compiled, broadcast joins"), so both ways of cutting a join run.
   */
  public static SuiteSessions onCluster(int workers, int slotsPerWorker, String workerHeap) {
    SuiteSessions s = new SuiteSessions(LocalCluster.start(workers, slotsPerWorker, 0, workerHeap));
    try {
      for (ExecutionMode mode : Modes.all()) {
        boolean broadcast = mode == ExecutionMode.COMPILED;
        s.sessions.put(mode.name().toLowerCase(Locale.ROOT) + (broadcast ? ", broadcast joins" : ", shuffle joins"),
            Modes.builder(mode).threads(2).cluster(s.cluster.address())
                .broadcastMaxRows(broadcast ? 1_000_000 : 0).build());
      }
    } catch (RuntimeException e) {
      s.closeAfter(e);
    }
    return s;
  }

  public Set<String> names() {
    return sessions.keySet();
  }

  public Kiln get(String name) {
    Kiln kiln = sessions.get(name);
    if (kiln == null) {
      throw new IllegalArgumentException("no session named '" + name + "', only " + sessions.keySet());
    }
    return kiln;
  }

  public Map<String, Kiln> all() {
    return sessions;
  }

  /** The cluster the sessions run on; null for sessions in this process. */
  public LocalCluster cluster() {
    return cluster;
  }

  /** Registers a Parquet file as {@code table} in every session. */
  public void registerParquet(String table, Path file) {
    for (Kiln kiln : sessions.values()) {
      kiln.registerParquet(table, file);
    }
  }

  @Override
  public void close() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Kiln> s : sessions.entrySet()) {
      try {
        s.getValue().close(); // throws if a query leaked Arrow memory
      } catch (RuntimeException e) {
        problems.add("session " + s.getKey() + " failed to close (leaked memory?): " + e.getMessage());
      }
    }
    sessions.clear();
    if (cluster != null) {
      List<Process> workers = cluster.workerProcesses();
      try {
        cluster.close();
      } catch (RuntimeException e) {
        problems.add("the cluster failed to close: " + e);
      }
      for (int i = 0; i < workers.size(); i++) {
        Process p = workers.get(i);
        if (p.isAlive()) {
          problems.add("worker " + i + " outlived the cluster");
          p.destroyForcibly();
        } else if (p.exitValue() != 0) {
          problems.add("worker " + i + " exited with code " + p.exitValue());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  private void closeAfter(RuntimeException e) {
    try {
      close();
    } catch (RuntimeException | AssertionError suppressed) {
      e.addSuppressed(suppressed);
    }
    throw e;
  }
}
