package io.kiln.observe.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.error.KilnException;
import io.kiln.tpch.TpchDriver;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's JSON, SSE and metrics endpoints over plain HTTP, served by an embedded session. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardHttpTest {
  @TempDir static Path dir;
  private static Kiln kiln;
  private static String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    Path data = DashboardData.tpch(dir, 0.01);
    kiln = Kiln.builder().threads(2).compileMinRows(0).dashboardPort(0).traceUrl("http://zipkin.invalid/traces/{traceId}").build();
    TpchDriver.registerTables(kiln, data);
    base = kiln.dashboardUrl();
  }

  @AfterAll
  static void stop() {
    if (kiln != null) {
      kiln.close();
    }
  }

  @Test
  void aFinishedQueryIsInTheHistoryWithItsStepsPlanAndCode() throws Exception {
    kiln.execute(DashboardData.QUICK);
    JsonNode board = getJson("api/board");
    assertEquals("http://zipkin.invalid/traces/{traceId}", board.get("traceUrl").asText());
    JsonNode worker = board.get("workers").get(0);
    assertEquals(2, worker.get("slots").asInt());
    JsonNode q = find(board.get("queries"), DashboardData.QUICK);
    assertEquals("succeeded", q.get("status").asText());
    assertEquals(System.getProperty("user.name"), q.get("user").asText());
    assertTrue(q.get("stages").size() >= 3, "pipelines of a join, an aggregate and a sort: " + q.get("stages"));
    boolean edges = false;
    for (JsonNode s : q.get("stages")) {
      assertEquals(s.get("tasksTotal").asInt(), s.get("tasksDone").asInt(), "every morsel ran: " + s);
      edges |= s.get("inputs").size() > 0;
    }
    assertTrue(edges, "the steps form a DAG: " + q.get("stages"));
    assertEquals("", q.get("analyze").asText(), "lists leave the long texts out");

    JsonNode full = getJson("api/queries/" + q.get("id").asText());
    assertTrue(full.get("analyze").asText().contains("rows="), full.get("analyze").asText());
    assertTrue(full.get("code").asText().contains("class"), "the generated source: " + full.get("code").asText());

    List<String> events = sse("api/queries/" + q.get("id").asText() + "/events", 1);
    assertEquals("event: query", events.get(0));
  }

  @Test
  void aFailedQueryShowsItsError() throws Exception {
    assertThrows(KilnException.class, () -> kiln.execute("select no_such_column from nation"));
    JsonNode q = find(getJson("api/board").get("queries"), "select no_such_column from nation");
    assertEquals("failed", q.get("status").asText());
    assertTrue(q.get("error").asText().contains("no_such_column"), q.toString());
  }

  @Test
  void aRunningQueryProgressesOverServerSentEventsAndTheCancelActionStopsIt() throws Exception {
    QueryHandle handle = kiln.submit(DashboardData.SLOW);
    try {
      String id = awaitRunning(DashboardData.SLOW);
      long first = rowsSoFar(id);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (rowsSoFar(id) <= first) {
        assertTrue(System.nanoTime() < deadline, "the running query's rows never grew past " + first);
        Thread.sleep(100);
      }
      List<String> events = sse("api/events", 2);
      assertEquals("event: board", events.get(0));
      assertTrue(events.get(1).startsWith("data: {\"workers\""), events.get(1));

      HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(base + "api/queries/" + id + "/cancel"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, cancel.statusCode(), cancel.body());
      KilnException e = assertThrows(KilnException.class, () -> handle.result(60, TimeUnit.SECONDS));
      assertEquals(KilnException.Kind.CANCELLED, e.kind(), e.getMessage());
      assertEquals("cancelled", getJson("api/queries/" + id).get("status").asText());
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "api/queries/" + id + "/cancel"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
          "a query that ended cannot be cancelled");
    } finally {
      handle.cancel();
    }
  }

  @Test
  void pagesLibrariesAndMetricsAreServed() throws Exception {
    assertTrue(get("").body().contains("Query history"));
    assertTrue(get("query.html?id=q1").body().contains("Stage DAG"));
    assertEquals(200, get("webjars/cytoscape/3.33.1/dist/cytoscape.min.js").statusCode());
    assertEquals(200, get("webjars/dagre/0.8.4/dist/dagre.min.js").statusCode());
    HttpResponse<String> metrics = get("metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("kiln_queries_total"), metrics.body());
    assertTrue(metrics.body().contains("jvm_threads_current"));
    assertEquals(404, get("api/queries/no-such-query").statusCode());
  }

  private String awaitRunning(String sql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      for (JsonNode q : getJson("api/board").get("queries")) {
        if (q.get("sql").asText().equals(sql) && q.get("status").asText().equals("running")) {
          return q.get("id").asText();
        }
      }
      assertTrue(System.nanoTime() < deadline, "the query never showed as running");
      Thread.sleep(50);
    }
  }

  private long rowsSoFar(String id) throws Exception {
    JsonNode q = getJson("api/queries/" + id);
    assertEquals("running", q.get("status").asText(), q.toString());
    long rows = 0;
    for (JsonNode s : q.get("stages")) {
      rows += s.get("rows").asLong() + s.get("tasksDone").asLong();
    }
    return rows;
  }

  private static JsonNode find(JsonNode queries, String sql) {
    for (JsonNode q : queries) {
      if (q.get("sql").asText().equals(sql)) {
        return q;
      }
    }
    throw new AssertionError("no query " + sql + " in " + queries);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    return json.readTree(r.body());
  }

  /** The first {@code lines} non-empty lines of an event stream. */
  private List<String> sse(String path, int lines) throws Exception {
    // as browsers ask: events must come at once, not when a compressed block fills
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", "text/event-stream").header("Accept-Encoding", "gzip, deflate, br").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals("", r.headers().firstValue("content-encoding").orElse(""), "a compressed event stream");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while (out.size() < lines && (line = in.readLine()) != null) {
        if (!line.isEmpty()) {
          out.add(line);
        }
      }
    }
    assertFalse(out.size() < lines, "the stream ended after " + out);
    return out;
  }
}
