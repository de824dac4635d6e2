package io.kiln.distributed;

import io.kiln.distributed.scheduler.KilnScheduler;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster on this machine for development and tests: a scheduler in this process and worker
 * JVMs as child processes on loopback, each with its own logs and shuffle folder under one
 * temporary folder. Closing it stops the workers and deletes the folder; a worker whose parent
 * dies without closing it exits by itself (it watches its standard input).
 */
public final class LocalCluster implements AutoCloseable {
  private final KilnScheduler scheduler;
  private final List<Process> workers = new ArrayList<>();
  private final Path dir;

  private final int slotsPerWorker;
  private final String workerHeap;
  /** The workers trace where the scheduler does. */
  private final List<String> tracingArgs;
  /** Further {@code kiln worker} arguments every worker started like the first ones gets. */
  private final List<String> workerArgs;

  private LocalCluster(KilnScheduler scheduler, Path dir, int slotsPerWorker, String workerHeap,
      List<String> tracingArgs, List<String> workerArgs) {
    this.scheduler = scheduler;
    this.workerArgs = List.copyOf(workerArgs);
    this.tracingArgs = tracingArgs;
    this.dir = dir;
    this.slotsPerWorker = slotsPerWorker;
    this.workerHeap = workerHeap;
  }

  /**
   * Starts a scheduler on {@code port} (0: any free port) and {@code workers} worker processes of
   * {@code slotsPerWorker} slots and {@code workerHeap} of Java heap each; returns once all have
   * joined, or fails naming the worker that did not and the end of its log.
   */
  public static LocalCluster start(int workers, int slotsPerWorker, int port, String workerHeap) {
    return start(SchedulerOptions.defaults().withAddress("127.0.0.1", port), workers, slotsPerWorker, workerHeap);
  }

  /** As {@link #start(int, int, int, String)}, with a scheduler of these options (its host should be loopback). */
  public static LocalCluster start(SchedulerOptions options, int workers, int slotsPerWorker, String workerHeap) {
    return start(options, workers, slotsPerWorker, workerHeap, List.of());
  }

  /** As {@link #start(SchedulerOptions, int, int, String)}, each worker given {@code workerArgs} as well. */
  public static LocalCluster start(SchedulerOptions options, int workers, int slotsPerWorker, String workerHeap,
      List<String> workerArgs) {
    if (workers < 1) {
      throw new IllegalArgumentException("a local cluster needs at least 1 worker, got " + workers);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("kiln-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the local cluster", e);
    }
    KilnScheduler scheduler;
    try {
      scheduler = KilnScheduler.start(options);
    } catch (RuntimeException e) {
      io.kiln.util.FileTrees.delete(dir);
      throw e;
    }
    LocalCluster cluster = new LocalCluster(scheduler, dir, slotsPerWorker, workerHeap, options.tracing().args(),
        workerArgs);
    try {
      for (int i = 0; i < workers; i++) {
        cluster.startWorker(i);
      }
      cluster.awaitWorkers(workers, TimeUnit.SECONDS.toNanos(90), 0);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public String address() {
    return scheduler.address();
  }

  public KilnScheduler scheduler() {
    return scheduler;
  }

  /** The worker processes, for tests that stop one. */
  public List<Process> workerProcesses() {
    return List.copyOf(workers);
  }

  /**
   * Starts one more worker, like the first ones, and returns its index once it has joined (the
   * scheduler then has {@code live} workers, those that were alive and this one).
   */
  public synchronized int addWorker(int live) {
    int index = workers.size();
    startWorker(index);
    awaitWorkers(live, TimeUnit.SECONDS.toNanos(90), index);
    return index;
  }

  /**
   * How an added worker differs from the first ones: the scheduler address it is given (a proxy,
   * say), extra {@code kiln worker} arguments, and a command its JVM runs under (one that gives it a
   * namespace of its own, say), which ends by running its arguments.
   */
  public record WorkerVariant(String scheduler, List<String> args, List<String> wrapper) {}

  /** As {@link #addWorker(int)}, a worker set up as {@code variant} says. */
  public synchronized int addWorker(int live, WorkerVariant variant) {
    int index = workers.size();
    startWorker(index, variant);
    awaitWorkers(live, TimeUnit.SECONDS.toNanos(90), index);
    return index;
  }

  private void startWorker(int index) {
    startWorker(index, new WorkerVariant(address(), workerArgs, List.of()));
  }

  private void startWorker(int index, WorkerVariant v) {
    List<String> args = new ArrayList<>(List.of("worker", "--scheduler", v.scheduler(), "--slots",
        Integer.toString(slotsPerWorker), "--work-dir", workDir(index).toString(), "--metrics-port", "0"));
    args.addAll(tracingArgs);
    args.addAll(v.args());
    workers.add(ChildJvm.start(v.wrapper(), workerHeap, dir.resolve("worker-" + index + ".log"), args));
  }

  /** Until the scheduler has {@code n} workers; fails if one started from {@code firstNew} on has exited. */
  private void awaitWorkers(int n, long timeoutNanos, int firstNew) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (scheduler.workers() < n) {
      for (int i = firstNew; i < workers.size(); i++) {
        if (!workers.get(i).isAlive()) {
          throw KilnException.cluster("worker " + i + " of the local cluster exited with code "
              + workers.get(i).exitValue() + " before joining:\n" + logTail(i));
        }
      }
      if (System.nanoTime() > deadline) {
        throw KilnException.cluster(scheduler.workers() + " of " + n + " workers joined the local cluster in "
            + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; the first worker's log:\n" + logTail(0));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw KilnException.cancelled("interrupted while the local cluster started");
      }
    }
  }

  /**
   * This cluster's workers for an {@link Autoscaler}: it starts more like the first ones, and
   * drains one by sending it SIGTERM (a worker drains on SIGTERM, then exits).
   */
  public Autoscaler.WorkerPool pool() {
    return new Autoscaler.WorkerPool() {
      @Override
      public io.kiln.distributed.proto.ClusterProtos.ClusterInfoResponse info() {
        return scheduler.info();
      }

      @Override
      public void startWorker() {
        addWorker(scheduler.workers() + 1);
      }

      @Override
      public void drain(String workerId) {
        Process p = workerProcess(workerId);
        try {
          // not Process.destroy(): it also closes the worker's standard input, which stops it at once
          Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start();
          if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw KilnException.cluster("could not send SIGTERM to worker " + workerId + " (pid " + p.pid() + ")");
          }
        } catch (IOException e) {
          throw new UncheckedIOException("could not send SIGTERM to worker " + workerId, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw KilnException.cancelled("interrupted while draining worker " + workerId);
        }
      }
    };
  }

  /** Where worker {@code i} serves its metrics (it prints the address before it says it listens). */
  public String workerMetricsUrl(int i) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      // it registers, then prints: wait for the line
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("metrics at (\\S+)")
          .matcher(ChildJvm.log(dir.resolve("worker-" + i + ".log")));
      if (m.find()) {
        return m.group(1);
      }
      if (System.nanoTime() > deadline || !workers.get(i).isAlive()) {
        throw KilnException.cluster("worker " + i + " has not said where its metrics are:\n" + logTail(i));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw KilnException.cancelled("interrupted while waiting for worker " + i);
      }
    }
  }

  /** The process of the worker that registered as {@code workerId} (each prints its id once it has joined). */
  public synchronized Process workerProcess(String workerId) {
    for (int i = 0; i < workers.size(); i++) {
      if (ChildJvm.logContains(dir.resolve("worker-" + i + ".log"), "worker " + workerId + " listening on")) {
        return workers.get(i);
      }
    }
    throw KilnException.cluster("no worker process of the local cluster registered as " + workerId);
  }

  /** Where worker {@code i} keeps its shuffle files. */
  public Path workDir(int i) {
    return dir.resolve("worker-" + i);
  }

  /** The last lines of worker {@code i}'s log. */
  public String logTail(int i) {
    return ChildJvm.logTail(dir.resolve("worker-" + i + ".log"));
  }

  @Override
  public void close() {
    ChildJvm.stop(workers);
    scheduler.close();
    io.kiln.util.FileTrees.delete(dir);
  }
}
