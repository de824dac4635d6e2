package io.kiln.distributed;

import io.kiln.distributed.scheduler.KilnScheduler;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster on this machine for development and tests: a scheduler in this process and worker
 * JVMs as child processes on loopback, each with its own logs and shuffle folder under one
 * temporary folder. Closing it stops the workers and deletes the folder; a worker whose parent
 * dies without closing it exits by itself (it watches its standard input).
 */
public final class LocalCluster implements AutoCloseable {
  private static final String WORKER_MAIN = "io.kiln.cli.KilnCli";

  private final KilnScheduler scheduler;
  private final List<Process> workers = new ArrayList<>();
  private final Path dir;

  private final int slotsPerWorker;
  private final String workerHeap;

  private LocalCluster(KilnScheduler scheduler, Path dir, int slotsPerWorker, String workerHeap) {
    this.scheduler = scheduler;
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
      deleteTree(dir);
      throw e;
    }
    LocalCluster cluster = new LocalCluster(scheduler, dir, slotsPerWorker, workerHeap);
    try {
      for (int i = 0; i < workers; i++) {
        cluster.startWorker(i, slotsPerWorker, workerHeap);
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
    startWorker(index, slotsPerWorker, workerHeap);
    awaitWorkers(live, TimeUnit.SECONDS.toNanos(90), index);
    return index;
  }

  private void startWorker(int index, int slots, String heap) {
    Path work = dir.resolve("worker-" + index);
    Path log = dir.resolve("worker-" + index + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // The JVM settings Arrow and the engine rely on, as this process has them.
      if (arg.startsWith("--add-opens") || arg.startsWith("-Darrow.") || arg.startsWith("-Dio.netty.")) {
        command.add(arg);
      }
    }
    for (String property : List.of("arrow.allocation.manager.type", "arrow.enable_unsafe_memory_access",
        "arrow.enable_null_check_for_get")) {
      String value = System.getProperty(property);
      if (value != null && command.stream().noneMatch(a -> a.startsWith("-D" + property + "="))) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-cp");
    command.add(classPath());
    command.add(WORKER_MAIN);
    command.addAll(List.of("worker", "--scheduler", address(), "--slots", Integer.toString(slots),
        "--work-dir", work.toString(), "--exit-with-parent"));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      workers.add(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker " + index + ": " + command, e);
    }
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
   * The class path the workers need: this process's, plus what a class loader of the caller's
   * added (Maven's exec:java runs the engine from such a loader, and its java.class.path is Maven's).
   */
  private static String classPath() {
    java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
    for (ClassLoader l = LocalCluster.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader u) {
        for (java.net.URL url : u.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (java.net.URISyntaxException e) {
              throw new IllegalStateException("a class path entry that is not a path: " + url, e);
            }
          }
        }
      }
    }
    entries.addAll(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** Where worker {@code i} keeps its shuffle files. */
  public Path workDir(int i) {
    return dir.resolve("worker-" + i);
  }

  /** The last lines of worker {@code i}'s log. */
  public String logTail(int i) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("worker-" + i + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    for (Process p : workers) {
      try {
        // The end of its standard input stops a worker cleanly: exit code 0, or non-zero if it
        // leaked memory or could not delete its files.
        p.getOutputStream().close();
      } catch (IOException e) {
        p.destroy(); // SIGTERM: the same clean stop, exit code 143
      }
    }
    for (Process p : workers) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    scheduler.close();
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
