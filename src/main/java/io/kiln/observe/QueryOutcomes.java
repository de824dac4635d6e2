package io.kiln.observe;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/** How queries ended and how long they took: {@code kiln_queries_total{status}} and {@code kiln_query_duration_seconds}. */
public final class QueryOutcomes {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  private final Counter ended;
  private final Histogram duration;

  public QueryOutcomes(KilnMetrics metrics) {
    this.ended = metrics.counter("kiln_queries_total", "Queries ended, by how: succeeded, failed or cancelled.",
        "status");
    this.duration = metrics.seconds("kiln_query_duration_seconds", "Time from a query's start to its end.");
  }

  /** A query that started at {@code startNanos} (System.nanoTime) ended with {@code status}. */
  public void ended(String status, long startNanos) {
    ended.labelValues(status).inc();
    duration.observe((System.nanoTime() - startNanos) / 1e9);
  }
}
