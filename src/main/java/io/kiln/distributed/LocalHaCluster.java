package io.kiln.distributed;

import io.grpc.ManagedChannel;
import io.kiln.distributed.ha.EmbeddedZooKeeper;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.QueriesGrpc;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster on this machine whose schedulers stand in for each other: an embedded ZooKeeper in
 * this process, scheduler processes that elect a leader in it, and worker processes that know
 * every scheduler's address, all on loopback, with logs under one temporary folder deleted on
 * close. For {@code kiln cluster --schedulers N} and the failover tests, which kill the leader.
 */
public final class LocalHaCluster implements AutoCloseable {
  /** How the schedulers run: liveness of workers and of the leader itself. */
  public record Timing(long heartbeatMillis, long workerTimeoutMillis, int sessionTimeoutMillis) {
    public static final Timing DEFAULT = new Timing(1_000, 10_000, 6_000);
  }

  private final EmbeddedZooKeeper zooKeeper;
  private final Path dir;
  private final List<String> schedulerAddresses = new ArrayList<>();
  private final List<Process> schedulers = new ArrayList<>();
  /** Each scheduler's log, its current run's (a restarted one logs anew). */
  private final List<Path> schedulerLogs = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final Timing timing;
  private int slotsPerWorker;
  private String workerHeap;

  /** Arguments every scheduler and worker process gets besides its own (where to send traces, say). */
  private final List<String> processArgs;

  private LocalHaCluster(EmbeddedZooKeeper zooKeeper, Path dir, Timing timing, List<String> processArgs) {
    this.zooKeeper = zooKeeper;
    this.dir = dir;
    this.timing = timing;
    this.processArgs = List.copyOf(processArgs);
  }

  /**
   * Starts ZooKeeper, {@code schedulers} scheduler processes (the first on {@code firstPort}, or
   * any free ports for 0), and {@code workers} workers of {@code slotsPerWorker} slots and
   * {@code workerHeap} each; returns once a leader has all the workers.
   */
  public static LocalHaCluster start(int schedulers, int firstPort, Timing timing, int workers, int slotsPerWorker,
      String workerHeap) {
    return start(schedulers, firstPort, timing, workers, slotsPerWorker, workerHeap, List.of());
  }

  /** As {@link #start(int, int, Timing, int, int, String)}, every process also given {@code processArgs}. */
  public static LocalHaCluster start(int schedulers, int firstPort, Timing timing, int workers, int slotsPerWorker,
      String workerHeap, List<String> processArgs) {
    if (schedulers < 1 || workers < 1) {
      throw new IllegalArgumentException("a local cluster needs at least 1 scheduler and 1 worker");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("kiln-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the local cluster", e);
    }
    EmbeddedZooKeeper zk;
    try {
      zk = EmbeddedZooKeeper.start();
    } catch (RuntimeException e) {
      io.kiln.util.FileTrees.delete(dir);
      throw e;
    }
    LocalHaCluster c = new LocalHaCluster(zk, dir, timing, processArgs);
    try {
      for (int i = 0; i < schedulers; i++) {
        c.schedulerAddresses.add("127.0.0.1:" + (firstPort == 0 ? io.kiln.util.FreePorts.loopback() : firstPort + i));
      }
      for (int i = 0; i < schedulers; i++) {
        c.schedulers.add(null);
        c.schedulerLogs.add(null);
        c.startScheduler(i);
      }
      for (int i = 0; i < schedulers; i++) {
        c.awaitListening(i); // each has joined the election
      }
      for (int i = 0; i < workers; i++) {
        c.startWorker(slotsPerWorker, workerHeap);
      }
      c.awaitWorkers(workers, TimeUnit.SECONDS.toNanos(90), 0);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startWorker(int slots, String heap) {
    slotsPerWorker = slots;
    workerHeap = heap;
    int i = workers.size();
    List<String> args = new ArrayList<>(List.of("worker", "--scheduler", addresses(), "--slots", Integer.toString(slots),
        "--work-dir", dir.resolve("worker-" + i).toString()));
    args.addAll(processArgs);
    workers.add(ChildJvm.start(heap, dir.resolve("worker-" + i + ".log"), args));
  }

  /** Starts one more worker like the first ones; returns its index once the leader has {@code live} workers. */
  public synchronized int addWorker(int live) {
    startWorker(slotsPerWorker, workerHeap);
    awaitWorkers(live, TimeUnit.SECONDS.toNanos(90), workers.size() - 1);
    return workers.size() - 1;
  }

  /** Starts scheduler {@code i} again, on its address, after it was stopped or killed: it joins as a standby. */
  public synchronized void restartScheduler(int i) throws InterruptedException {
    Process old = schedulers.get(i);
    if (old.isAlive()) {
      throw new IllegalStateException("scheduler " + i + " still runs");
    }
    old.waitFor();
    startScheduler(i);
    awaitListening(i);
  }

  /** Until scheduler {@code i} says where it listens: it has then joined the election. */
  private void awaitListening(int i) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!ChildJvm.logContains(schedulerLogs.get(i), "scheduler listening on")) {
      if (!schedulers.get(i).isAlive() || System.nanoTime() > deadline) {
        throw KilnException.cluster("scheduler " + i + " of the local cluster did not start:\n" + schedulerLog(i));
      }
      sleep(50);
    }
  }

  private void startScheduler(int i) {
    String port = schedulerAddresses.get(i).substring(schedulerAddresses.get(i).lastIndexOf(':') + 1);
    Path log = dir.resolve("scheduler-" + i + (schedulers.get(i) == null ? "" : "-" + System.nanoTime()) + ".log");
    schedulerLogs.set(i, log);
    List<String> args = new ArrayList<>(List.of("scheduler", "--port", port,
        "--zookeeper", zooKeeper.connectString(), "--zookeeper-session-timeout",
        Integer.toString(timing.sessionTimeoutMillis()), "--heartbeat-interval", Long.toString(timing.heartbeatMillis()),
        "--worker-timeout", Long.toString(timing.workerTimeoutMillis()),
        // several schedulers on one machine: each its own free dashboard port (in its log)
        "--dashboard-port", "0"));
    args.addAll(processArgs);
    schedulers.set(i, ChildJvm.start("512m", log, args));
  }

  /** Every scheduler's address, comma-separated: what workers and clients are given. */
  public String addresses() {
    return String.join(",", schedulerAddresses);
  }

  public String zooKeeper() {
    return zooKeeper.connectString();
  }

  public List<Process> schedulerProcesses() {
    return List.copyOf(schedulers);
  }

  public List<Process> workerProcesses() {
    return List.copyOf(workers);
  }

  public List<String> schedulerAddresses() {
    return List.copyOf(schedulerAddresses);
  }

  /** The address of scheduler {@code i}. */
  public String schedulerAddress(int i) {
    return schedulerAddresses.get(i);
  }

  /** The leader's answer to ClusterInfo (its address, epoch and workers), or null if none leads now. */
  public ClusterProtos.ClusterInfoResponse leader() {
    for (int i = 0; i < schedulerAddresses.size(); i++) {
      if (!schedulers.get(i).isAlive()) {
        continue;
      }
      java.net.InetSocketAddress a = Rpc.address(schedulerAddresses.get(i));
      ManagedChannel ch = Rpc.channel(a.getHostString(), a.getPort(), ClusterAuth.NONE);
      try {
        return QueriesGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
            .clusterInfo(ClusterProtos.ClusterInfoRequest.getDefaultInstance());
      } catch (RuntimeException standbyOrDown) {
        // a standby refuses; try the next
      } finally {
        Rpc.shutdown(ch);
      }
    }
    return null;
  }

  /** Index of the scheduler leading now, waiting up to {@code timeoutMillis} for one to. */
  public int awaitLeader(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      ClusterProtos.ClusterInfoResponse info = leader();
      if (info != null) {
        return schedulerAddresses.indexOf(info.getLeader());
      }
      if (System.nanoTime() > deadline) {
        throw KilnException.cluster("no scheduler of the local cluster leads after " + timeoutMillis + " ms; the first"
            + " scheduler's log:\n" + schedulerLog(0));
      }
      sleep(100);
    }
  }

  /** Until the leader has {@code n} workers; fails if a worker started from {@code firstNew} on exits. */
  private void awaitWorkers(int n, long timeoutNanos, int firstNew) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      ClusterProtos.ClusterInfoResponse info = leader();
      if (info != null && info.getWorkers() >= n) {
        return;
      }
      for (int i = firstNew; i < workers.size(); i++) {
        if (!workers.get(i).isAlive()) {
          throw KilnException.cluster("worker " + i + " of the local cluster exited with code "
              + workers.get(i).exitValue() + " before joining:\n" + workerLog(i));
        }
      }
      for (int i = 0; i < schedulers.size() && firstNew == 0; i++) {
        if (!schedulers.get(i).isAlive()) {
          throw KilnException.cluster("scheduler " + i + " of the local cluster exited with code "
              + schedulers.get(i).exitValue() + ":\n" + schedulerLog(i));
        }
      }
      if (System.nanoTime() > deadline) {
        throw KilnException.cluster((info == null ? "no scheduler leads" : info.getWorkers() + " of " + n
            + " workers joined") + " in " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; the first worker's"
            + " log:\n" + workerLog(0) + "\nthe first scheduler's log:\n" + schedulerLog(0));
      }
      sleep(100);
    }
  }

  /** The last lines of worker {@code i}'s log. */
  public String workerLog(int i) {
    return ChildJvm.logTail(dir.resolve("worker-" + i + ".log"));
  }

  /** The last lines of scheduler {@code i}'s log, of its current run. */
  public String schedulerLog(int i) {
    return ChildJvm.logTail(schedulerLogs.get(i));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.cancelled("interrupted while waiting for the local cluster");
    }
  }

  @Override
  public void close() {
    ChildJvm.stop(workers);
    ChildJvm.stop(schedulers);
    zooKeeper.close();
    io.kiln.util.FileTrees.delete(dir);
  }
}
