package io.kiln.observe.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.kiln.error.KilnException;
import io.kiln.observe.DashboardSource;
import io.kiln.observe.KilnMetrics;
import io.kiln.observe.QueryView;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live dashboard of a scheduler or a session, over HTTP: its pages (static files, the graph
 * libraries from WebJars), a JSON API over a {@link DashboardSource}, Server-Sent Events that push
 * a fresh snapshot twice a second, a cancel action, and the process's metrics at {@code /metrics}.
 *
 * <pre>
 * GET  /                          the cluster, running queries and history
 * GET  /query.html?id=ID          one query: its stage DAG, progress, EXPLAIN ANALYZE, generated code, trace
 * GET  /api/board                 {"workers": [...], "queries": [...], "traceUrl": "..."} (queries without long texts)
 * GET  /api/queries/{id}          one query in full (404 if unknown)
 * POST /api/queries/{id}/cancel   stops a running query (404 if none runs with that id)
 * GET  /api/events                SSE: event "board", the same data as /api/board, every update
 * GET  /api/queries/{id}/events   SSE: event "query", the query in full, every update until it ends
 * GET  /metrics                   Prometheus text format
 * </pre>
 */
public final class DashboardServer implements AutoCloseable {
  /** How often live pages get a fresh snapshot. */
  static final long UPDATE_MILLIS = 500;

  private final Javalin app;
  private final String host;
  private final LiveUpdates updates;

  private DashboardServer(Javalin app, String host, LiveUpdates updates) {
    this.app = app;
    this.host = host;
    this.updates = updates;
  }

  /**
   * Listens on {@code host}:{@code port} (0: any free port). {@code metrics} may be null (no
   * {@code /metrics}); {@code traceUrl} is a link template with {@code {traceId}} in it, or empty.
   */
  public static DashboardServer start(String host, int port, DashboardSource source, KilnMetrics metrics,
      String traceUrl) {
    ObjectMapper json = new ObjectMapper();
    String traceTemplate = traceUrl == null ? "" : traceUrl;
    LiveUpdates updates = new LiveUpdates(UPDATE_MILLIS);
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      // Javalin gzips text/event-stream too, and a gzip stream holds events back until its block
      // fills: browsers (which ask for gzip) then got live updates many seconds late.
      config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
      config.staticFiles.enableWebjars();
      config.staticFiles.add("/io/kiln/observe/dashboard", Location.CLASSPATH);
      config.routes.get("/api/board", ctx -> sendJson(ctx, json, board(source, traceTemplate)));
      config.routes.get("/api/queries/{id}", ctx -> {
        QueryView q = source.query(ctx.pathParam("id")).orElse(null);
        if (q == null) {
          ctx.status(HttpStatus.NOT_FOUND).result("no query " + ctx.pathParam("id"));
        } else {
          sendJson(ctx, json, q);
        }
      });
      config.routes.post("/api/queries/{id}/cancel", ctx -> {
        if (source.cancel(ctx.pathParam("id"))) {
          sendJson(ctx, json, Map.of("cancelled", ctx.pathParam("id")));
        } else {
          ctx.status(HttpStatus.NOT_FOUND).result("no running query " + ctx.pathParam("id"));
        }
      });
      config.routes.sse("/api/events", client -> updates.add(client,
          () -> new LiveUpdates.Event("board", write(json, board(source, traceTemplate)), false)));
      config.routes.sse("/api/queries/{id}/events", client -> {
        String id = client.ctx().pathParam("id");
        updates.add(client, () -> source.query(id)
            .map(q -> new LiveUpdates.Event("query", write(json, q), !q.running()))
            .orElseGet(() -> new LiveUpdates.Event("missing", "\"" + id + "\"", true)));
      });
      if (metrics != null) {
        config.routes.get("/metrics", ctx -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape(), EscapingScheme.DEFAULT);
          ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
        });
      }
    });
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      updates.close();
      app.stop();
      throw KilnException.io("cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new DashboardServer(app, host, updates);
  }

  private static Map<String, Object> board(DashboardSource source, String traceUrl) {
    Map<String, Object> board = new LinkedHashMap<>();
    board.put("workers", source.workers());
    List<QueryView> queries = source.queries().stream().map(QueryView::summary).toList();
    board.put("queries", queries);
    board.put("traceUrl", traceUrl);
    return board;
  }

  private static void sendJson(Context ctx, ObjectMapper json, Object value) {
    ctx.contentType("application/json").result(write(json, value));
  }

  private static String write(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the dashboard's JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  public int port() {
    return app.port();
  }

  /** Where a browser opens it. */
  public String url() {
    return "http://" + host + ":" + port() + "/";
  }

  @Override
  public void close() {
    updates.close();
    app.stop();
  }
}
