package io.kiln.cli;

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
    footer = "  kiln scheduler --port 50050")
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


  @Override
  public Integer call() throws InterruptedException {
    SchedulerOptions options;
    try {
      options = SchedulerOptions.defaults().withAddress(host, port).withLiveness(heartbeatMillis, workerTimeoutMillis)
          .withAttempts(maxTaskAttempts, maxStageAttempts).withAuth(security.forServer(spec, host));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    KilnScheduler scheduler = KilnScheduler.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close, "kiln-scheduler-stop"));
    KilnCli.of(spec).out().println("scheduler listening on " + scheduler.address());
    scheduler.awaitTermination();
    return ExitCodes.OK;
  }
}
