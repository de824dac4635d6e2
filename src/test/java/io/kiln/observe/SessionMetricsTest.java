package io.kiln.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.error.KilnException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An embedded session's metrics, as Prometheus reads them from the port it was asked to serve them on. */
class SessionMetricsTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  private java.nio.file.Path writeCsv() throws java.io.IOException {
    return java.nio.file.Files.writeString(dir.resolve("t.csv"), "x\n1\n2\n3\n");
  }
  @Test
  void aSessionServesItsQueriesCodegenAndJvmMetrics() throws Exception {
    try (Kiln kiln = Kiln.builder().threads(2).executionMode(ExecutionMode.COMPILED).compileMinRows(0)
        .metricsPort(0).build()) {
      kiln.registerCsv("t", writeCsv());
      kiln.execute("SELECT sum(x) FROM t WHERE x > 1");
      kiln.submit("SELECT 1").result(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThrows(KilnException.class, () -> kiln.execute("SELEC 1"));
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(kiln.metricsUrl())).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertEquals(2.0, value(text, "kiln_queries_total{status=\"succeeded\"}"), text);
      assertEquals(1.0, value(text, "kiln_queries_total{status=\"failed\"}"), text);
      assertEquals(3.0, value(text, "kiln_query_duration_seconds_count"), text);
      assertTrue(value(text, "kiln_codegen_compiles_total") >= 1, text);
      assertEquals(value(text, "kiln_codegen_compiles_total"), value(text, "kiln_codegen_compile_seconds_count"), text);
      assertEquals(0.0, value(text, "kiln_memory_reserved_bytes"), "memory held after the queries ended");
      assertTrue(text.contains("jvm_memory_used_bytes"), "no JVM metrics");
      assertEquals(3.0, value(text, "kiln_rows_read_total"), "rows of the CSV file read once");
      assertEquals(java.nio.file.Files.size(dir.resolve("t.csv")), value(text, "kiln_bytes_read_total"),
          "the CSV file's bytes, read once");
    }
  }

  @Test
  void rowsAndBytesReadFromParquetCountWhatTheScansRead() throws Exception {
    java.nio.file.Path data = dir.resolve("tpch");
    io.kiln.tpch.TpchGenerator.generate(0.01, data, progress -> {});
    java.nio.file.Path lineitem = data.resolve("lineitem.parquet");
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      kiln.registerParquet("lineitem", lineitem);
      long rows = ((Number) kiln.execute("SELECT count(*) FROM lineitem").rows().get(0)[0]).longValue();
      double rows0 = counter(kiln, "kiln_rows_read");
      double bytes0 = counter(kiln, "kiln_bytes_read");
      kiln.execute("SELECT sum(l_quantity), max(l_comment) FROM lineitem");
      assertEquals(rows, counter(kiln, "kiln_rows_read") - rows0, "every row of lineitem read once");
      double bytes = counter(kiln, "kiln_bytes_read") - bytes0;
      assertTrue(bytes > 0 && bytes < java.nio.file.Files.size(lineitem),
          bytes + " bytes read of two columns of a " + java.nio.file.Files.size(lineitem) + "-byte file");
      kiln.execute("SELECT sum(l_quantity), max(l_comment) FROM lineitem");
      assertEquals(2 * bytes, counter(kiln, "kiln_bytes_read") - bytes0, "the same bytes read again");
    }
  }

  private static double counter(Kiln kiln, String name) {
    var snapshot = kiln.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name)).findFirst().orElseThrow();
    return ((io.prometheus.metrics.model.snapshots.CounterSnapshot) snapshot).getDataPoints().get(0).getValue();
  }

  @Test
  void withoutAPortNothingIsServedButTheRegistryIsThere() {
    try (Kiln kiln = Kiln.builder().build()) {
      kiln.execute("SELECT 1");
      assertNull(kiln.metricsUrl());
      assertTrue(kiln.metrics().registry().scrape().stream()
          .anyMatch(m -> m.getMetadata().getPrometheusName().equals("kiln_queries")));
    }
  }

  private static double value(String exposition, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
    assertTrue(m.find(), "no " + series);
    return Double.parseDouble(m.group(1));
  }
}
