package io.kiln.cli;

import io.kiln.distributed.Autoscaler;
import io.kiln.distributed.LocalCluster;
import io.kiln.distributed.LocalHaCluster;
import io.kiln.distributed.scheduler.SchedulerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Runs a local cluster for development: a scheduler and worker processes on loopback, until"
        + " Ctrl-C or SIGTERM stops them all. With --schedulers 2 or more, an embedded ZooKeeper elects a leader"
        + " among scheduler processes, and a standby takes over if it dies.",
    footerHeading = "%nExample:%n",
    footer = "  kiln cluster --workers 3%n  kiln cluster --workers 3 --schedulers 2%n"
        + "  kiln cluster --workers 1 --max-workers 6 --autoscale%n  kiln sql --cluster 127.0.0.1:50050 --parquet t=data.parquet \"SELECT count(*) FROM t\"")
final class ClusterCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--workers", paramLabel = "N", description = "Worker processes (default: ${DEFAULT-VALUE}).")
  private int workers = 2;

  @Option(names = "--port", paramLabel = "PORT",
      description = "The scheduler's port; with several, the first's, the others' following it (default: ${DEFAULT-VALUE}).")
  private int port = SchedulerOptions.DEFAULT_PORT;

  @Option(names = "--schedulers", paramLabel = "N",
      description = "Scheduler processes elected in an embedded ZooKeeper: one leads, the others stand by"
          + " (default: ${DEFAULT-VALUE}: one scheduler in this process, no ZooKeeper).")
  private int schedulers = 1;

  @Option(names = "--autoscale",
      description = "Start workers (up to --max-workers) while tasks wait for a slot, and drain idle ones (down to"
          + " --workers).")
  private boolean autoscale;

  @Option(names = "--max-workers", paramLabel = "N", description = "With --autoscale: at most this many workers.")
  private Integer maxWorkers;

  @Option(names = "--scale-up-after", paramLabel = "MS",
      description = "With --autoscale: start a worker once tasks have waited this long (default: ${DEFAULT-VALUE}).")
  private long scaleUpAfterMillis = 2_000;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS",
      description = "With --autoscale: drain a worker idle this long (default: ${DEFAULT-VALUE}).")
  private long idleSeconds = 60;

  @Option(names = "--slots-per-worker", paramLabel = "M", description = "Task slots of each worker (default: ${DEFAULT-VALUE}).")
  private int slotsPerWorker = 1;

  @picocli.CommandLine.Mixin private TracingFlags tracing = new TracingFlags();

  @Option(names = "--worker-heap", paramLabel = "SIZE", description = "Java heap of each worker, e.g. 2g (default: ${DEFAULT-VALUE}).")
  private String workerHeap = "2g";

  @picocli.CommandLine.Mixin private DashboardOptions dashboard;

  @Override
  public Integer call() throws InterruptedException {
    if (workers < 1 || slotsPerWorker < 1 || schedulers < 1) {
      throw new ParameterException(spec.commandLine(), "--workers, --schedulers and --slots-per-worker must be at least 1");
    }
    if (autoscale && schedulers > 1) {
      throw new ParameterException(spec.commandLine(), "--autoscale runs with one scheduler (--schedulers 1) for now");
    }
    if (maxWorkers != null && !autoscale) {
      throw new ParameterException(spec.commandLine(), "--max-workers needs --autoscale");
    }
    Autoscaler.Policy policy;
    try {
      policy = new Autoscaler.Policy(workers, maxWorkers == null ? workers : maxWorkers, scaleUpAfterMillis,
          idleSeconds * 1000);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable cluster;
    String addresses;
    StringBuilder roles = new StringBuilder();
    if (schedulers == 1) {
      LocalCluster c = LocalCluster.start(SchedulerOptions.defaults().withAddress("127.0.0.1", port)
          .withTracing(tracing.options()), workers, slotsPerWorker, workerHeap);
      io.kiln.observe.MetricsServer metrics = io.kiln.observe.MetricsServer.start("127.0.0.1", 0,
          c.scheduler().metrics());
      io.kiln.observe.dashboard.DashboardServer board = dashboard.start(spec, "127.0.0.1", c.scheduler().dashboard(),
          c.scheduler().metrics());
      Autoscaler scaler = autoscale ? Autoscaler.start(c.pool(), policy, 500) : null;
      cluster = () -> {
        if (scaler != null) {
          scaler.close(); // before the workers go: it would start others
          System.out.println("autoscaler: started " + scaler.scaleUps() + " workers and drained " + scaler.scaleDowns());
        }
        metrics.close();
        if (board != null) {
          board.close();
        }
        c.close();
      };
      addresses = c.address();
      roles.append(String.format("scheduler  pid %-8d %s  metrics %s%s%n", ProcessHandle.current().pid(), addresses,
          metrics.url(), board == null ? "" : "  dashboard " + board.url()));
      for (int i = 0; i < workers; i++) {
        roles.append(String.format("worker     pid %-8d metrics %s%n", c.workerProcesses().get(i).pid(),
            c.workerMetricsUrl(i)));
      }
    } else {
      LocalHaCluster c = LocalHaCluster.start(schedulers, port, LocalHaCluster.Timing.DEFAULT, workers, slotsPerWorker,
          workerHeap, tracing.options().args());
      cluster = c;
      addresses = c.addresses();
      String leader = c.leader() == null ? "" : c.leader().getLeader();
      roles.append(String.format("zookeeper  pid %-8d %s (embedded)%n", ProcessHandle.current().pid(), c.zooKeeper()));
      for (int i = 0; i < schedulers; i++) {
        roles.append(String.format("scheduler  pid %-8d %s %s%n", c.schedulerProcesses().get(i).pid(),
            c.schedulerAddress(i), c.schedulerAddress(i).equals(leader) ? "leader" : "standby"));
      }
      c.workerProcesses().forEach(p -> roles.append(String.format("worker     pid %-8d%n", p.pid())));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }, "kiln-cluster-stop"));
    KilnCli.of(spec).out().print(roles);
    KilnCli.of(spec).out().println("cluster of " + workers + " workers ready; scheduler" + (schedulers > 1 ? "s" : "")
        + " at " + addresses);
    KilnCli.of(spec).out().flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
