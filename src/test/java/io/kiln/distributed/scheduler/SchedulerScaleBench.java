package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Scheduling throughput at scale: the real scheduler with simulated workers in this process (see
 * {@link SimulatedCluster}), one query of N tasks per run, for each number of workers and tasks
 * given. Tasks end at once (or after a delay), so the time is the scheduler's: splitting,
 * assigning, launching, taking reports, starting the next stage. Prints tasks per second and the
 * time of each phase (status: building one answer to a client's poll, which it makes every 500 ms
 * while the query runs), the best of a few runs, and the CPU time of the dispatcher thread (in all
 * and per task). Not a test (no assertions); run with
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.kiln.distributed.scheduler.SchedulerScaleBench
 * -Dexec.args="--workers 20,100,200 --tasks 10000,50000,100000"}. Options: {@code --slots} per
 * worker (4), {@code --maps} map tasks (default two per slot, the most a scan gets, at most a
 * quarter of a query's tasks), {@code --delay-micros} per task (0), {@code --runs} per size (3), and
 * {@code --queries} (1): the tasks split over that many queries at once, each awaited by a client.
 */
public final class SchedulerScaleBench {
  private SchedulerScaleBench() {}

  /** One run's phases, in milliseconds; the stages' times are only told apart for one query at a time. */
  private record Run(int workers, int queries, int tasks, int maps, double submit, double mapStage,
      double reduceStage, double resultStage, double status, double total, double dispatcherCpu) {
    double tasksPerSecond() {
      return tasks / (total / 1000);
    }
  }

  public static void main(String[] args) throws Exception {
    int[] workers = ints(option(args, "--workers", "20,100,200"));
    int[] tasks = ints(option(args, "--tasks", "10000,50000,100000"));
    int slots = Integer.parseInt(option(args, "--slots", "4"));
    int maps = Integer.parseInt(option(args, "--maps", "0"));
    long delayMicros = Long.parseLong(option(args, "--delay-micros", "0"));
    int runs = Integer.parseInt(option(args, "--runs", "3"));
    int[] queries = ints(option(args, "--queries", "1"));
    Path dir = Files.createTempDirectory("kiln-sim-");
    try {
      System.out.printf(Locale.ROOT, "%d slots per worker, tasks end after %d us, best of %d runs%n", slots,
          delayMicros, runs);
      warmUp(dir, slots);
      System.out.printf(Locale.ROOT, "%7s %7s %7s %5s %9s | %8s %8s %9s %8s %8s %9s | %15s%n", "workers", "queries",
          "tasks", "maps", "tasks/s", "submit", "map", "reduce", "result", "status", "total ms", "dispatcher cpu");
      for (int w : workers) {
        try (SimulatedCluster cluster = new SimulatedCluster(w, slots, delayMicros, 2, SimulatedFaults.NONE, false)) {
          for (int q : queries) {
            for (int n : tasks) {
              int m = maps > 0 ? maps : Math.min(2 * w * slots, n / q / 4);
              Run best = null;
              for (int r = 0; r < runs; r++) {
                Run run = run(cluster, dir, w, q, n, m);
                best = best == null || run.total() < best.total() ? run : best;
              }
              print(best);
            }
          }
        }
      }
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /** A few small runs first, so the JIT has compiled the scheduler before anything is timed. */
  private static void warmUp(Path dir, int slots) throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster(20, slots, 0, 2, SimulatedFaults.NONE, false)) {
      for (int i = 0; i < 5; i++) {
        run(cluster, dir, 20, 1, 10_000, 160);
      }
    }
  }

  /** {@code queries} queries of {@code tasks / queries} tasks each, submitted together, each awaited by its own client. */
  private static Run run(SimulatedCluster cluster, Path dir, int workers, int queries, int tasks, int maps)
      throws Exception {
    List<ClusterProtos.SubmitRequest> requests = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      requests.add(SimulatedQuery.request(dir, maps, tasks / queries - maps - 1));
    }
    ExecutorService clients = Executors.newFixedThreadPool(queries);
    try {
      System.gc(); // the previous run's garbage is not this one's time
      cluster.log().clear();
      long cpu = dispatcherCpuNanos();
      long start = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (ClusterProtos.SubmitRequest r : requests) {
        ids.add(cluster.submit(r));
      }
      long submitted = System.nanoTime();
      List<Future<ClusterProtos.QueryStatus>> waits = new ArrayList<>();
      for (String id : ids) {
        waits.add(clients.submit(() -> cluster.await(id, 600_000)));
      }
      for (Future<ClusterProtos.QueryStatus> w : waits) {
        ClusterProtos.QueryStatus status = w.get();
        if (status.getState() != ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED) {
          throw new IllegalStateException("a simulated query did not succeed: " + status);
        }
      }
      long end = System.nanoTime();
      cpu = dispatcherCpuNanos() - cpu;
      // What one client poll costs the scheduler once a query has all its tasks: the fastest of a few.
      long statusNanos = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        cluster.scheduler().await(ids.get(0), 0);
        statusNanos = Math.min(statusNanos, System.nanoTime() - t0);
      }
      long[] stageEnd = new long[3];
      for (SimulationLog.Event e : cluster.log().events()) {
        if (e.kind() == SimulationLog.Kind.REPORT) {
          stageEnd[e.stage()] = Math.max(stageEnd[e.stage()], e.nanos());
        }
      }
      ids.forEach(cluster::closeQuery);
      return new Run(workers, queries, tasks, maps, ms(submitted - start), ms(stageEnd[0] - submitted),
          ms(stageEnd[1] - stageEnd[0]), ms(stageEnd[2] - stageEnd[1]), ms(statusNanos), ms(end - start), ms(cpu));
    } finally {
      clients.shutdownNow();
    }
  }

  private static void print(Run r) {
    String stages = r.queries() > 1 ? String.format(Locale.ROOT, "%8s %9s %8s", "-", "-", "-")
        : String.format(Locale.ROOT, "%8.1f %9.1f %8.1f", r.mapStage(), r.reduceStage(), r.resultStage());
    System.out.printf(Locale.ROOT, "%7d %7d %7d %5d %9.0f | %8.1f %s %8.2f %9.1f | %6.0f ms %3.1f us%n",
        r.workers(), r.queries(), r.tasks(), r.maps(), r.tasksPerSecond(), r.submit(), stages, r.status(), r.total(),
        r.dispatcherCpu(), r.dispatcherCpu() * 1000 / r.tasks());
  }

  /**
   * CPU time of the scheduler's dispatcher thread, which assigns and builds every task under the
   * lock: the serial part that bounds throughput however many cores the rest gets.
   */
  private static long dispatcherCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("kiln-dispatcher")) {
        return threads.getThreadCpuTime(t.getId());
      }
    }
    throw new IllegalStateException("no kiln-dispatcher thread");
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }
}
