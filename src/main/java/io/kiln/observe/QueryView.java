package io.kiln.observe;

import java.util.List;

/**
 * A query as the dashboard shows it at one moment. {@code status} is one of {@link #RUNNING} or
 * the outcomes of {@link QueryOutcomes}; {@code analyze} and {@code code} (its EXPLAIN ANALYZE
 * text and its pipelines' generated source) are empty until it ends, and {@code traceId} until
 * tracing gives one.
 */
public record QueryView(String id, String sql, String user, long startMillis, long durationMillis, String status,
    String error, List<StageView> stages, String analyze, String code, String traceId) {
  public static final String RUNNING = "running";

  public QueryView {
    stages = List.copyOf(stages);
    error = error == null ? "" : error;
    analyze = analyze == null ? "" : analyze;
    code = code == null ? "" : code;
    traceId = traceId == null ? "" : traceId;
  }

  public boolean running() {
    return RUNNING.equals(status);
  }

  /** The same query without its long texts, for the lists that show many. */
  public QueryView summary() {
    return new QueryView(id, sql, user, startMillis, durationMillis, status, error, stages, "", "", traceId);
  }
}
