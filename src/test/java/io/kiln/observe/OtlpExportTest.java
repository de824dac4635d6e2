package io.kiln.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kiln.Kiln;
import io.kiln.cli.KilnCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans leave over OTLP/HTTP (protobuf) to an endpoint given to the session, or named by the
 * standard OTEL_* variables to a `kiln sql` process. The receiver is an HTTP server on loopback
 * that keeps what is posted to /v1/traces, as a collector would receive it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OtlpExportTest {
  @TempDir Path dir;
  private HttpServer receiver;
  private final List<byte[]> posts = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      try (exchange) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        exchange.getRequestBody().transferTo(body);
        posts.add(body.toByteArray());
        contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
  }

  @Test
  void aSessionSendsItsQuerySpansToTheEndpointItWasGiven() throws IOException {
    Path csv = Files.writeString(dir.resolve("t.csv"), "x\n1\n2\n");
    try (Kiln kiln = Kiln.builder().threads(2).tracing(new TracingOptions(endpoint(), null)).build()) {
      kiln.registerCsv("t", csv);
      kiln.execute("SELECT sum(x) AS marker_column FROM t");
    } // closing flushes the spans
    String sent = received();
    assertTrue(contentTypes.stream().allMatch(t -> t.startsWith("application/x-protobuf")), contentTypes.toString());
    for (String span : List.of("query", "parse", "bind", "optimize", "physical plan", "pipeline ")) {
      assertTrue(sent.contains(span), "no '" + span + "' span sent");
    }
    assertTrue(sent.contains("marker_column"), "the query's text is not an attribute of its span");
  }

  @Test
  void withoutAnEndpointNothingIsSent() {
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      kiln.execute("SELECT 1");
    }
    assertTrue(posts.isEmpty(), posts.size() + " posts");
  }

  @Test
  void theStandardOtelVariablesTurnTracingOnForTheCommandLine() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), KilnCli.class.getName(), "sql",
        "SELECT 42 AS variable_marker")
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint());
    pb.environment().put("OTEL_SERVICE_NAME", "kiln-cli-under-test");
    Process p = pb.start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "kiln sql did not end");
    assertEquals(0, p.exitValue(), Files.readString(out));
    String sent = received();
    assertTrue(sent.contains("kiln-cli-under-test"), "the service name from OTEL_SERVICE_NAME is not in the spans");
    assertTrue(sent.contains("variable_marker"), "the query span did not arrive");
  }

  /** Everything posted so far, as text (protobuf keeps strings as UTF-8 bytes). */
  private String received() {
    assertFalse(posts.isEmpty(), "nothing was posted to " + endpoint());
    StringBuilder all = new StringBuilder();
    for (byte[] p : posts) {
      all.append(new String(p, StandardCharsets.ISO_8859_1));
    }
    return all.toString();
  }
}
