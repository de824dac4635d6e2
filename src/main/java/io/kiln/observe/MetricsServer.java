package io.kiln.observe;

import io.kiln.error.KilnException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/** Serves a process's metrics at {@code http://HOST:PORT/metrics} in the Prometheus text format. */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;
  private final String host;

  private MetricsServer(HTTPServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Listens on {@code host}:{@code port} (0: any free port). */
  public static MetricsServer start(String host, int port, KilnMetrics metrics) {
    try {
      return new MetricsServer(HTTPServer.builder().hostname(host).port(port).registry(metrics.registry())
          .buildAndStart(), host);
    } catch (IOException e) {
      throw KilnException.io("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Where Prometheus scrapes it. */
  public String url() {
    return "http://" + host + ":" + port() + "/metrics";
  }

  @Override
  public void close() {
    server.close();
  }
}
