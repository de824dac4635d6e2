package io.kiln.observe;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.kiln.error.KilnException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * One process's traces (OpenTelemetry, W3C trace context): a tracer for Kiln's own spans (query,
 * planning, stages, tasks, pipelines, shuffle fetches) and interceptors that give every gRPC and
 * Flight call a span and carry the context across in the {@code traceparent} header, so that the
 * spans of all processes form one tree. Off unless an endpoint is given or the standard {@code
 * OTEL_*} variables ask for export: then the tracer is OpenTelemetry's no-op one and no interceptor
 * is installed, so tracing off costs nothing.
 */
public final class Tracing implements AutoCloseable {
  public static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null);

  private final OpenTelemetry otel;
  /** Null when off. */
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final GrpcTelemetry grpc;

  private Tracing(OpenTelemetry otel, OpenTelemetrySdk sdk) {
    this.otel = otel;
    this.sdk = sdk;
    this.tracer = otel.getTracer("io.kiln");
    this.grpc = sdk == null ? null : GrpcTelemetry.create(otel);
  }

  /**
   * Tracing for a process that calls itself {@code serviceName} ({@code kiln-scheduler},
   * {@code kiln-worker}, {@code kiln}); {@link #OFF} if nothing asks for traces.
   */
  public static Tracing start(TracingOptions options, String serviceName) {
    boolean otlp = options.otlpEndpoint() != null || isSet("otel.exporter.otlp.endpoint")
        || isSet("otel.exporter.otlp.traces.endpoint");
    String exporter = setting("otel.traces.exporter");
    boolean asked = otlp || options.zipkinEndpoint() != null
        || (exporter != null && !exporter.trim().equalsIgnoreCase("none"));
    if (!asked) {
      return OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", serviceName);
    defaults.put("otel.traces.exporter", otlp ? "otlp" : "none");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // The JDK's HTTP client sends OTLP; gRPC export would need another client library.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.propagators", "tracecontext");
    // Spans reach the backend within a second of ending, not five.
    defaults.put("otel.bsp.schedule.delay", "1000");
    if (options.otlpEndpoint() != null) {
      defaults.put("otel.exporter.otlp.traces.endpoint", options.otlpEndpoint());
    }
    try {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .addTracerProviderCustomizer((b, config) -> options.zipkinEndpoint() == null ? b
              : b.addSpanProcessor(BatchSpanProcessor.builder(ZipkinSpanExporter.builder()
                  .setSender(URLConnectionSender.create(options.zipkinEndpoint())).build())
                  .setScheduleDelay(Duration.ofSeconds(1)).build()))
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
      return new Tracing(sdk, sdk);
    } catch (RuntimeException e) {
      throw KilnException.io("cannot set up tracing (" + options + "): " + e.getMessage(), e);
    }
  }

  /** {@code context}'s span as a W3C traceparent header value ("" if it has none), to store or send. */
  public static String traceparent(Context context) {
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
    return carrier.getOrDefault("traceparent", "");
  }

  /** The context a stored {@link #traceparent} names (the root context for ""). */
  public static Context fromTraceparent(String traceparent) {
    if (traceparent.isEmpty()) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceparent),
        new TextMapGetter<Map<String, String>>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }
        });
  }

  /** A setting as autoconfigure reads it: the system property, else the OTEL_ variable. */
  private static String setting(String property) {
    String v = System.getProperty(property);
    return v != null ? v : System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
  }

  private static boolean isSet(String property) {
    String v = setting(property);
    return v != null && !v.isBlank();
  }

  public boolean enabled() {
    return sdk != null;
  }

  public Tracer tracer() {
    return tracer;
  }

  /** A span named {@code name} under {@code parent}, started now; the caller ends it. */
  public Span start(String name, Context parent) {
    return span(name).setParent(parent).startSpan();
  }

  public SpanBuilder span(String name) {
    return tracer.spanBuilder(name);
  }

  /**
   * Gives each call this server takes that is part of a trace (it carries a {@code traceparent}) a
   * span, child of the caller's; null when off. Heartbeats and other calls outside any query are
   * not traced: they would make a trace a second per worker.
   */
  public ServerInterceptor serverInterceptor() {
    if (grpc == null) {
      return null;
    }
    ServerInterceptor traced = grpc.createServerInterceptor();
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return headers.containsKey(TRACEPARENT) ? traced.interceptCall(call, headers, next) : next.startCall(call, headers);
      }
    };
  }

  /**
   * Gives each call on a channel made within a traced span (a query's, a task's) a span and sends
   * its context along; null when off. Calls outside any trace (heartbeats) go as they are.
   */
  public ClientInterceptor clientInterceptor() {
    if (grpc == null) {
      return null;
    }
    ClientInterceptor traced = grpc.createClientInterceptor();
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return Span.current().getSpanContext().isValid() ? traced.interceptCall(method, options, next)
            : next.newCall(method, options);
      }
    };
  }

  private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  /** Sends the spans not yet exported, waiting up to 10 s, and stops. */
  @Override
  public void close() {
    if (sdk == null) {
      return;
    }
    CompletableResultCode done = sdk.shutdown().join(10, TimeUnit.SECONDS);
    if (!done.isSuccess()) {
      org.slf4j.LoggerFactory.getLogger(Tracing.class).warn("some spans could not be exported before shutdown");
    }
  }
}
