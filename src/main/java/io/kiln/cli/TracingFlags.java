package io.kiln.cli;

import io.kiln.observe.TracingOptions;
import picocli.CommandLine.Option;

/** Where a process sends its traces; the standard OTEL_* variables work too. */
final class TracingFlags {
  @Option(names = "--otlp-endpoint", paramLabel = "URL",
      description = "Send traces over OTLP/HTTP, e.g. http://127.0.0.1:4318/v1/traces (OTEL_EXPORTER_OTLP_* work too).")
  private String otlpEndpoint;

  @Option(names = "--zipkin-endpoint", paramLabel = "URL",
      description = "Send traces to a Zipkin server, e.g. http://127.0.0.1:9411/api/v2/spans.")
  private String zipkinEndpoint;

  TracingOptions options() {
    return new TracingOptions(otlpEndpoint, zipkinEndpoint);
  }
}
