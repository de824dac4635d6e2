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


  @Override
  public Integer call() throws InterruptedException {
    KilnScheduler scheduler = KilnScheduler.start(SchedulerOptions.defaults().withAddress(host, port)
        .withAuth(security.forServer(spec, host)));
    Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close, "kiln-scheduler-stop"));
    KilnCli.of(spec).out().println("scheduler listening on " + scheduler.address());
    scheduler.awaitTermination();
    return ExitCodes.OK;
  }
}
