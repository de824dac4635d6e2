package io.kiln.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.QueriesGrpc;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows a cluster: each scheduler's role (leader, standby, unreachable), the leader's epoch,"
        + " its workers with their busy slots, and the tasks running and waiting. Exit code 1 if no scheduler leads.",
    footerHeading = "%nExample:%n",
    footer = "  kiln status --cluster 127.0.0.1:50050,127.0.0.1:50051")
final class StatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--cluster", paramLabel = "HOST:PORT[,HOST:PORT...]", required = true,
      description = "The scheduler, or every scheduler of the cluster.")
  private String cluster;

  @Mixin private ClusterSecurityOptions security;

  @Override
  public Integer call() {
    ClusterAuth auth = security.forClient(spec);
    PrintStream out = KilnCli.of(spec).out();
    ClusterProtos.ClusterInfoResponse leader = null;
    for (String raw : cluster.split(",")) {
      String address = raw.trim();
      InetSocketAddress a;
      try {
        a = Rpc.address(address);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--cluster: " + e.getMessage());
      }
      ManagedChannel channel = Rpc.channel(a.getHostString(), a.getPort(), auth);
      try {
        ClusterProtos.ClusterInfoResponse info = QueriesGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS).clusterInfo(ClusterProtos.ClusterInfoRequest.getDefaultInstance());
        out.printf("scheduler  %-22s leader (epoch %d): %d workers, %d slots, %d tasks running, %d waiting%n", address,
            info.getLeaderEpoch(), info.getWorkers(), info.getSlots(), info.getRunningTasks(), info.getPendingTasks());
        leader = info;
      } catch (StatusRuntimeException e) {
        String why = e.getStatus().getDescription() == null ? e.getStatus().getCode().toString()
            : e.getStatus().getDescription().lines().findFirst().orElse("");
        boolean standby = why.contains("stands by");
        out.printf("scheduler  %-22s %s%n", address, standby ? "standby" : "unreachable (" + e.getStatus().getCode()
            + ": " + why + ")");
      } finally {
        Rpc.shutdown(channel);
      }
    }
    if (leader == null) {
      out.println("no scheduler leads");
      out.flush();
      return ExitCodes.ERROR;
    }
    for (ClusterProtos.WorkerStatus w : leader.getWorkerStatusList()) {
      out.printf("worker     %-22s %d/%d slots busy%s%s  (%s)%n", w.getHost() + ":" + w.getPort(), w.getBusySlots(),
          w.getSlots(), w.getDraining() ? ", draining" : "",
          w.getBusySlots() == 0 ? ", idle " + w.getIdleMillis() / 1000 + " s" : "", w.getWorkerId());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
