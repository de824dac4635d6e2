package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kiln.Kiln;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.observe.TracingOptions;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Zipkin server (io.zipkin:zipkin-server, copied to target/zipkin by the build) takes the
 * spans of one query on a local cluster of three workers, from the session and scheduler (this
 * process) and from every worker. Through Zipkin's API: one trace, rooted at the session's query
 * span, every other span's parent in it, and the chain session query → Submit → scheduler query →
 * stage → LaunchTask → task → pipeline, with shuffle fetches whose Flight calls reach other workers.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ZipkinTraceTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private int zipkinPort;

  @Test
  void oneQueryOnThreeWorkersIsOneTraceOverFourProcesses() throws Exception {
    Path data = dir.resolve("data");
    TpchGenerator.generate(0.01, data, progress -> {});
    Process zipkin = startZipkin();
    try {
      awaitZipkin(zipkin);
      TracingOptions tracing = new TracingOptions(null, "http://127.0.0.1:" + zipkinPort + "/api/v2/spans");
      SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withTracing(tracing);
      try (LocalCluster cluster = LocalCluster.start(options, 3, 1, "512m");
          Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).tracing(tracing)
              .build()) {
        TpchDriver.registerTables(kiln, data);
        kiln.execute(TpchQueries.text(3));
        JsonNode trace = awaitTrace();
        checkTree(trace);
      }
    } finally {
      zipkin.destroy();
      assertTrue(zipkin.waitFor(30, TimeUnit.SECONDS), "Zipkin did not stop");
    }
  }

  /**
   * The trace once its tasks' spans from all three workers and every span's parent have arrived:
   * each process sends its spans in batches, each second, and a parent ends (and leaves) after its
   * children.
   */
  private JsonNode awaitTrace() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonNode traces = null;
    while (System.nanoTime() < deadline) {
      traces = get("/api/v2/traces?serviceName=kiln&spanName=query&limit=10");
      if (traces.size() == 1 && workersWithTasks(traces.get(0)).size() == 3 && parentsArrived(traces.get(0))) {
        return traces.get(0);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no single trace with the tasks of all three workers in Zipkin: " + traces);
  }

  private static boolean parentsArrived(JsonNode trace) {
    Set<String> ids = new HashSet<>();
    for (JsonNode span : trace) {
      ids.add(span.path("id").asText());
    }
    for (JsonNode span : trace) {
      String parent = span.path("parentId").asText(null);
      if (parent != null && !ids.contains(parent)) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> workersWithTasks(JsonNode trace) {
    Set<String> workers = new HashSet<>();
    for (JsonNode span : trace) {
      if (span.path("name").asText().equals("task")) {
        workers.add(span.path("tags").path("kiln.worker").asText());
      }
    }
    return workers;
  }

  private static void checkTree(JsonNode trace) {
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode span : trace) {
      byId.put(span.path("id").asText(), span);
    }
    List<JsonNode> roots = new ArrayList<>();
    for (JsonNode span : trace) {
      String parent = span.path("parentId").asText(null);
      if (parent == null) {
        roots.add(span);
      } else {
        assertNotNull(byId.get(parent), "the parent of " + describe(span) + " is not in the trace");
      }
    }
    assertEquals(1, roots.size(), "roots: " + roots);
    JsonNode root = roots.get(0);
    assertEquals("query", root.path("name").asText());
    assertEquals("kiln", service(root));
    assertTrue(root.path("tags").path("db.query.text").asText().contains("TPC-H Q3"), describe(root));

    Set<String> services = new HashSet<>();
    int tasks = 0;
    int fetchesServedElsewhere = 0;
    for (JsonNode span : trace) {
      services.add(service(span));
      String name = span.path("name").asText();
      if (name.equals("task")) {
        tasks++;
        // task <- LaunchTask (worker, SERVER) <- LaunchTask (scheduler, CLIENT) <- stage <- query <- Submit <- Submit <- query
        JsonNode launchServer = parent(byId, span);
        assertEquals("kiln.dist.v1.worker/launchtask", launchServer.path("name").asText().toLowerCase());
        assertEquals("SERVER", launchServer.path("kind").asText());
        assertEquals("kiln-worker", service(launchServer));
        JsonNode launchClient = parent(byId, launchServer);
        assertEquals("CLIENT", launchClient.path("kind").asText());
        assertEquals("kiln-scheduler", service(launchClient));
        JsonNode stage = parent(byId, launchClient);
        assertTrue(stage.path("name").asText().startsWith("stage "), describe(stage));
        assertEquals(span.path("tags").path("kiln.stage").asText(), stage.path("tags").path("kiln.stage").asText());
        JsonNode schedulerQuery = parent(byId, stage);
        assertEquals("query", schedulerQuery.path("name").asText());
        assertEquals("kiln-scheduler", service(schedulerQuery));
        JsonNode submitServer = parent(byId, schedulerQuery);
        assertEquals("kiln.dist.v1.queries/submit", submitServer.path("name").asText().toLowerCase());
        JsonNode submitClient = parent(byId, submitServer);
        assertEquals("kiln", service(submitClient));
        assertEquals(root.path("id").asText(), parent(byId, submitClient).path("id").asText());
        assertTrue(span.path("tags").has("kiln.attempt") && span.path("tags").has("kiln.rows"), describe(span));
      }
      if (name.equals("shuffle fetch") && service(span).equals("kiln-worker")) {
        // the Flight call it made, and the serving worker's side of it
        for (JsonNode call : trace) {
          if (span.path("id").asText().equals(call.path("parentId").asText())
              && call.path("name").asText().toLowerCase().endsWith("flightservice/doget")) {
            for (JsonNode served : trace) {
              if (call.path("id").asText().equals(served.path("parentId").asText())
                  && service(served).equals("kiln-worker") && served.path("kind").asText().equals("SERVER")) {
                fetchesServedElsewhere++;
              }
            }
          }
        }
      }
      if (name.startsWith("pipeline ") && service(span).equals("kiln-worker")) {
        assertEquals("task", parent(byId, span).path("name").asText(), describe(span));
      }
    }
    assertEquals(Set.of("kiln", "kiln-scheduler", "kiln-worker"), services);
    assertTrue(tasks >= 3, tasks + " task spans");
    assertTrue(fetchesServedElsewhere > 0, "no shuffle fetch whose Flight call a worker served, in the trace");
  }

  private static JsonNode parent(Map<String, JsonNode> byId, JsonNode span) {
    JsonNode p = byId.get(span.path("parentId").asText());
    assertNotNull(p, "no parent for " + describe(span));
    return p;
  }

  private static String service(JsonNode span) {
    return span.path("localEndpoint").path("serviceName").asText();
  }

  private static String describe(JsonNode span) {
    return service(span) + " " + span.path("kind").asText() + " '" + span.path("name").asText() + "' " + span.path("tags");
  }

  private Process startZipkin() throws IOException {
    Path jar = Path.of("target", "zipkin", "zipkin-server.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "no " + jar + ": the build copies it there (mvn process-test-resources)");
    zipkinPort = io.kiln.util.FreePorts.loopback();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar.toString(),
        "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].port=" + zipkinPort,
        "--armeria.ports[0].protocols=http")
        .redirectErrorStream(true).redirectOutput(dir.resolve("zipkin.log").toFile()).start();
  }

  private void awaitZipkin(Process zipkin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!zipkin.isAlive()) {
        throw new AssertionError("Zipkin exited with " + zipkin.exitValue() + ":\n" + Files.readString(dir.resolve("zipkin.log")));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + zipkinPort + "/health"))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Zipkin did not start in 120 s:\n" + Files.readString(dir.resolve("zipkin.log")));
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + zipkinPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return json.readTree(r.body());
  }
}
