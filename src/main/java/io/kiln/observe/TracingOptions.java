package io.kiln.observe;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a process sends its traces: an OTLP/HTTP endpoint (an OpenTelemetry collector's
 * {@code http://host:4318/v1/traces}), a Zipkin one ({@code http://host:9411/api/v2/spans}), both or
 * neither. The standard {@code OTEL_*} variables apply too, and win over these.
 */
public record TracingOptions(String otlpEndpoint, String zipkinEndpoint) {
  public static final TracingOptions NONE = new TracingOptions(null, null);

  /** The same options as {@code kiln} command-line arguments, for the child processes of a local cluster. */
  public List<String> args() {
    List<String> args = new ArrayList<>();
    if (otlpEndpoint != null) {
      args.add("--otlp-endpoint");
      args.add(otlpEndpoint);
    }
    if (zipkinEndpoint != null) {
      args.add("--zipkin-endpoint");
      args.add(zipkinEndpoint);
    }
    return args;
  }
}
