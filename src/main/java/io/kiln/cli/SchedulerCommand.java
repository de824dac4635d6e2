package io.kiln.cli;

import io.kiln.distributed.ha.HaOptions;
import io.kiln.distributed.scheduler.KilnScheduler;
import io.kiln.distributed.scheduler.SchedulerOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = "Runs a cluster's scheduler: workers join it, clients submit queries to it.",
    footerHeading = "%nExample:%n",
    footer = "  kiln scheduler --port 50050%n"
        + "  kiln scheduler --port 50050 --zookeeper zk1:2181,zk2:2181,zk3:2181   (one per machine; one leads)")
final class SchedulerCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  private int port = SchedulerOptions.DEFAULT_PORT;

  @Mixin private ClusterSecurityOptions security;

  @Option(names = "--heartbeat-interval", paramLabel = "MS",
      description = "How often workers heartbeat, in milliseconds (default: ${DEFAULT-VALUE}).")
  private long heartbeatMillis = SchedulerOptions.defaults().heartbeatMillis();

  @Option(names = "--worker-timeout", paramLabel = "MS",
      description = "Silence after which a worker is declared lost and its work done again elsewhere, in milliseconds"
          + " (default: ${DEFAULT-VALUE}).")
  private long workerTimeoutMillis = SchedulerOptions.defaults().workerTimeoutMillis();

  @Option(names = "--max-task-attempts", paramLabel = "N",
      description = "Attempts a task gets for failures that may pass (default: ${DEFAULT-VALUE}).")
  private int maxTaskAttempts = SchedulerOptions.defaults().maxTaskAttempts();

  @Option(names = "--max-stage-attempts", paramLabel = "N",
      description = "Times a finished stage may lose outputs and run again (default: ${DEFAULT-VALUE}).")
  private int maxStageAttempts = SchedulerOptions.defaults().maxStageAttempts();

  @Option(names = "--zookeeper", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Run with standbys: schedulers given the same ZooKeeper and cluster name elect one leader, and"
          + " a standby takes over the running queries if it dies. Workers and clients then take every"
          + " scheduler's address.")
  private String zookeeper;

  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "The cluster's name in ZooKeeper, for several clusters on one ensemble (default: ${DEFAULT-VALUE}).")
  private String clusterName = HaOptions.DEFAULT_CLUSTER_NAME;

  @Option(names = "--zookeeper-session-timeout", paramLabel = "MS",
      description = "How long a leader may be silent to ZooKeeper before a standby takes over, in milliseconds"
          + " (default: ${DEFAULT-VALUE}).")
  private int sessionTimeoutMillis = HaOptions.DEFAULT_SESSION_TIMEOUT_MILLIS;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0: any free port; default: none).")
  private Integer metricsPort;

  @Mixin private TracingFlags tracing = new TracingFlags();
  @Mixin private DashboardOptions dashboard;

  @Option(names = "--exit-with-parent", hidden = true,
      description = "Stop when standard input closes: a local cluster's schedulers end with the process that started them.")
  private boolean exitWithParent;

  @Override
  public Integer call() throws InterruptedException {
    SchedulerOptions options;
    try {
      options = SchedulerOptions.defaults().withAddress(host, port).withLiveness(heartbeatMillis, workerTimeoutMillis)
          .withAttempts(maxTaskAttempts, maxStageAttempts).withAuth(security.forServer(spec, host))
          .withTracing(tracing.options());
      if (zookeeper != null) {
        options = options.withHighAvailability(new HaOptions(zookeeper, clusterName, sessionTimeoutMillis));
      }
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    KilnScheduler scheduler = KilnScheduler.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close, "kiln-scheduler-stop"));
    KilnCli.of(spec).out().println("scheduler listening on " + scheduler.address()
        + (zookeeper == null ? "" : " (one of the schedulers of cluster '" + clusterName + "' in ZooKeeper at "
            + zookeeper + ")"));
    if (metricsPort != null) {
      io.kiln.observe.MetricsServer m = io.kiln.observe.MetricsServer.start(host, metricsPort, scheduler.metrics());
      Runtime.getRuntime().addShutdownHook(new Thread(m::close, "kiln-metrics-stop"));
      KilnCli.of(spec).out().println("scheduler metrics at " + m.url());
    }
    io.kiln.observe.dashboard.DashboardServer d = dashboard.start(spec, host, scheduler.dashboard(),
        scheduler.metrics());
    if (d != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(d::close, "kiln-dashboard-stop"));
      KilnCli.of(spec).out().println("scheduler dashboard at " + d.url());
    }
    if (exitWithParent) {
      ParentWatch.start(() -> {});
    }
    scheduler.awaitTermination();
    return ExitCodes.OK;
  }
}
