package io.kiln.cli;

import io.kiln.distributed.LocalCluster;
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
        + " Ctrl-C or SIGTERM stops them all.",
    footerHeading = "%nExample:%n",
    footer = "  kiln cluster --workers 3%n  kiln sql --cluster 127.0.0.1:50050 --parquet t=data.parquet \"SELECT count(*) FROM t\"")
final class ClusterCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--workers", paramLabel = "N", description = "Worker processes (default: ${DEFAULT-VALUE}).")
  private int workers = 2;

  @Option(names = "--port", paramLabel = "PORT", description = "The scheduler's port (default: ${DEFAULT-VALUE}).")
  private int port = SchedulerOptions.DEFAULT_PORT;

  @Option(names = "--slots-per-worker", paramLabel = "M", description = "Task slots of each worker (default: ${DEFAULT-VALUE}).")
  private int slotsPerWorker = 1;

  @Option(names = "--worker-heap", paramLabel = "SIZE", description = "Java heap of each worker, e.g. 2g (default: ${DEFAULT-VALUE}).")
  private String workerHeap = "2g";

  @Override
  public Integer call() throws InterruptedException {
    if (workers < 1 || slotsPerWorker < 1) {
      throw new ParameterException(spec.commandLine(), "--workers and --slots-per-worker must be at least 1");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    LocalCluster cluster = LocalCluster.start(workers, slotsPerWorker, port, workerHeap);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.close();
      stopped.countDown();
    }, "kiln-cluster-stop"));
    KilnCli.of(spec).out().println("cluster of " + workers + " workers ready; scheduler at " + cluster.address());
    stopped.await();
    return ExitCodes.OK;
  }
}
