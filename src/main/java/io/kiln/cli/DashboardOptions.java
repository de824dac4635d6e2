package io.kiln.cli;

import io.kiln.observe.DashboardSource;
import io.kiln.observe.KilnMetrics;
import io.kiln.observe.dashboard.DashboardServer;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** A scheduler's dashboard: where it listens and where it links each query's trace. */
final class DashboardOptions {
  static final int DEFAULT_PORT = 8080;

  @Option(names = "--dashboard-port", paramLabel = "PORT",
      description = "Serve the live dashboard (and the metrics at /metrics) on this port (0: any free port; default: "
          + DEFAULT_PORT + ", or none if it is taken; -1: none).")
  private Integer port;

  @Option(names = "--trace-url", paramLabel = "TEMPLATE",
      description = "Link each query on the dashboard to its trace: a URL with {traceId} in it, e.g."
          + " http://zipkin:9411/zipkin/traces/{traceId}.")
  private String traceUrl = "";

  /**
   * Starts the dashboard over {@code source}, or returns null when asked for none. A port given
   * explicitly must be free; the default one may be taken (by another scheduler on the machine),
   * and then the process runs without a dashboard and says so.
   */
  DashboardServer start(CommandSpec spec, String host, DashboardSource source, KilnMetrics metrics) {
    int p = port == null ? DEFAULT_PORT : port;
    if (p < -1 || p > 65535) {
      throw new ParameterException(spec.commandLine(), "--dashboard-port must be -1 (none) or 0 to 65535, not " + p);
    }
    if (p == -1) {
      return null;
    }
    try {
      return DashboardServer.start(host, p, source, metrics, traceUrl);
    } catch (io.kiln.error.KilnException e) {
      if (port != null) {
        throw e;
      }
      KilnCli.of(spec).err().println("no dashboard: " + e.getMessage() + " (choose another with --dashboard-port)");
      return null;
    }
  }
}
