package io.kiln.cli;

import io.kiln.distributed.worker.KilnWorker;
import io.kiln.distributed.worker.WorkerOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Runs a cluster worker: joins the scheduler, runs tasks, serves its shuffle output over Arrow Flight.",
    footerHeading = "%nExample:%n",
    footer = "  kiln worker --scheduler 127.0.0.1:50050 --slots 4 --memory-limit 8g")
final class WorkerCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--scheduler", paramLabel = "HOST:PORT[,HOST:PORT...]", required = true,
      description = "The scheduler to join; with standby schedulers, all their addresses: the worker follows the leader.")
  private String scheduler;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: any free port).")
  private int port;

  @Option(names = "--advertise-address", paramLabel = "HOST:PORT",
      description = "Where the scheduler, other workers and clients reach this worker, if not at --host and --port"
          + " (behind NAT, a proxy or a container's port mapping).")
  private String advertiseAddress;

  @Option(names = "--slots", paramLabel = "N", description = "Tasks run at once (default: the number of CPUs, ${DEFAULT-VALUE} here).")
  private int slots = Runtime.getRuntime().availableProcessors();

  @Option(names = "--memory-limit", paramLabel = "SIZE", converter = ByteSize.class,
      description = "Arrow memory the worker's tasks may hold together, e.g. 8g (default: 3/4 of the Java heap).")
  private Long memoryLimit;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Folder for shuffle files (default: a temporary folder, deleted when the worker stops).")
  private Path workDir;

  @Mixin private ClusterSecurityOptions security;

  @Option(names = "--drain-timeout", paramLabel = "SECONDS",
      description = "On SIGTERM, first drain: take no new tasks and keep serving shuffle output until no query needs"
          + " it, for at most this long (0: stop at once; default: ${DEFAULT-VALUE}).")
  private long drainTimeoutSeconds = 300;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0: any free port; default: none).")
  private Integer metricsPort;

  @Mixin private TracingFlags tracing = new TracingFlags();

  @Option(names = "--exit-with-parent", hidden = true,
      description = "Stop when standard input closes: a local cluster's workers end with the process that started them.")
  private boolean exitWithParent;

  @Override
  public Integer call() throws InterruptedException {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--host " + host + " is a wildcard; a worker"
          + " tells the scheduler and the other workers its --host, so give the address they reach it at");
    }
    WorkerOptions options = WorkerOptions.defaults(scheduler).withAddress(host, port).withSlots(slots).withWorkDir(workDir)
        .withAuth(security.forServer(spec, host)).withTracing(tracing.options());
    if (advertiseAddress != null) {
      try {
        io.kiln.distributed.rpc.Rpc.address(advertiseAddress);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--advertise-address: " + e.getMessage());
      }
      options = options.withAdvertisedAddress(advertiseAddress);
    }
    if (memoryLimit != null) {
      options = options.withMemoryLimit(memoryLimit);
    }
    KilnWorker worker = KilnWorker.start(options);
    java.util.concurrent.atomic.AtomicBoolean parentGone = new java.util.concurrent.atomic.AtomicBoolean();
    Thread stop = new Thread(() -> {
      try {
        // SIGTERM drains: the outputs this worker holds stay served until no query needs them
        if (!parentGone.get() && drainTimeoutSeconds > 0) {
          try {
            if (!worker.drain(TimeUnit.SECONDS.toMillis(drainTimeoutSeconds))) {
              System.err.println("worker " + worker.id() + " still held needed outputs after " + drainTimeoutSeconds
                  + " s of draining: stopping anyway (the scheduler makes them again elsewhere)");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        worker.close();
      } catch (RuntimeException | Error e) {
        // A leak or a file left behind: say so, and exit non-zero so whoever started us sees it.
        e.printStackTrace();
        Runtime.getRuntime().halt(ExitCodes.INTERNAL);
      }
    }, "kiln-worker-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    if (metricsPort != null) {
      io.kiln.observe.MetricsServer m = io.kiln.observe.MetricsServer.start(host, metricsPort, worker.metrics());
      Runtime.getRuntime().addShutdownHook(new Thread(m::close, "kiln-metrics-stop"));
      KilnCli.of(spec).out().println("worker " + worker.id() + " metrics at " + m.url());
    }
    KilnCli.of(spec).out().println("worker " + worker.id() + " listening on " + host + ":" + worker.port());
    if (exitWithParent) {
      ParentWatch.start(() -> parentGone.set(true)); // nothing to drain for: the cluster goes with the parent
    }
    worker.awaitTermination();
    return ExitCodes.OK;
  }
}
