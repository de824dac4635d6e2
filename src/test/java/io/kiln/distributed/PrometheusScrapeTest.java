package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.observe.MetricsServer;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}; the README's test command installs it)
 * scrapes a local cluster's scheduler and two workers every second. Through its HTTP API: every
 * process is up, and the counters moved by what the queries' own EXPLAIN ANALYZE says they did:
 * the queries, their tasks, and the bytes their tasks wrote.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PrometheusScrapeTest {
  private static final Pattern STAGE = Pattern.compile("Stage \\d+.*?: (\\d+)/(\\d+) tasks done, \\d+ rows, (\\d+) bytes");
  private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private int prometheusPort;

  @Test
  void prometheusScrapesEveryProcessAndTheCountersMatchWhatTheQueriesDid() throws Exception {
    Path prometheus = prometheusBinary();
    Path data = dir.resolve("data");
    TpchGenerator.generate(0.05, data, progress -> {});
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0);
    try (LocalCluster cluster = LocalCluster.start(options, 2, 1, "1g");
        MetricsServer schedulerMetrics = MetricsServer.start("127.0.0.1", 0, cluster.scheduler().metrics());
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).build()) {
      TpchDriver.registerTables(kiln, data);
      List<String> targets = new ArrayList<>(List.of(hostPort(schedulerMetrics.url())));
      targets.add(hostPort(cluster.workerMetricsUrl(0)));
      targets.add(hostPort(cluster.workerMetricsUrl(1)));
      Process server = startPrometheus(prometheus, targets);
      try {
        awaitValue("count(up == 1)", 3, "every process scraped and up");
        long lineitemRows;
        try (Kiln local = Kiln.builder().build()) {
          local.registerParquet("lineitem", data.resolve("lineitem.parquet"));
          lineitemRows = ((Number) local.execute("SELECT count(*) FROM lineitem").rows().get(0)[0]).longValue();
        }
        long[] tasksAndBytes = new long[2];
        tally(kiln, "SELECT sum(l_quantity) FROM lineitem", tasksAndBytes);
        awaitValue("sum(kiln_rows_read_total{job=\"workers\"})", lineitemRows, "rows the workers' scans read");
        double bytesRead = query("sum(kiln_bytes_read_total{job=\"workers\"})");
        assertTrue(bytesRead > 0 && bytesRead < Files.size(data.resolve("lineitem.parquet")),
            bytesRead + " bytes read for one column of lineitem");
        int[] queries = {3, 9, 18};
        for (int q : queries) {
          tally(kiln, TpchQueries.text(q), tasksAndBytes);
        }
        long tasks = tasksAndBytes[0];
        long bytes = tasksAndBytes[1];
        awaitValue("kiln_queries_total{status=\"succeeded\"}", queries.length + 1, "queries that succeeded");
        awaitValue("kiln_tasks_total{status=\"succeeded\"}", tasks, "tasks that succeeded");
        awaitValue("kiln_shuffle_bytes_written_total{job=\"scheduler\"}", bytes, "bytes the tasks wrote, as reported");
        awaitValue("sum(kiln_shuffle_bytes_written_total{job=\"workers\"})", bytes, "bytes the workers wrote");
        assertTrue(query("sum(kiln_shuffle_bytes_fetched_total{job=\"workers\"})") > 0, "no shuffle bytes fetched");
        awaitValue("kiln_workers{state=\"live\"}", 2, "live workers");
        awaitValue("count(jvm_memory_used_bytes{area=\"heap\"})", 3, "JVM metrics of every process");
      } finally {
        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "Prometheus did not stop");
      }
    }
  }

  /** Runs {@code sql} with EXPLAIN ANALYZE and adds the tasks its stages ran and the bytes they wrote. */
  private static void tally(Kiln kiln, String sql, long[] tasksAndBytes) {
    StringBuilder text = new StringBuilder();
    for (Object[] line : kiln.execute("EXPLAIN ANALYZE " + sql).rows()) {
      text.append(line[0]).append('\n');
    }
    String explain = text.toString();
    Matcher m = STAGE.matcher(explain);
    int stages = 0;
    while (m.find()) {
      assertEquals(m.group(1), m.group(2), "a stage that did not finish:\n" + explain);
      tasksAndBytes[0] += Long.parseLong(m.group(2));
      tasksAndBytes[1] += Long.parseLong(m.group(3));
      stages++;
    }
    assertTrue(stages > 1, "no stages in:\n" + explain);
  }

  /** The server test.sh unpacked from Debian's package, or one installed on this machine. */
  private static Path prometheusBinary() {
    Path unpacked = Path.of("target", "tools", "usr", "bin", "prometheus").toAbsolutePath();
    if (Files.isExecutable(unpacked)) {
      return unpacked;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "prometheus");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError("no Prometheus server in target/tools or on the PATH: run the tests with the README's"
        + " command (bash test.sh), which fetches Debian's prometheus package");
  }

  private Process startPrometheus(Path prometheus, List<String> targets) throws IOException {
    prometheusPort = io.kiln.util.FreePorts.loopback();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
        + "  - job_name: scheduler\n    static_configs:\n      - targets: ['" + targets.get(0) + "']\n"
        + "  - job_name: workers\n    static_configs:\n      - targets: ['" + targets.get(1) + "', '" + targets.get(2)
        + "']\n");
    return new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
  }

  /** Until Prometheus's answer to {@code promql} is {@code expected} (fails after 60 s, with the last answer). */
  private void awaitValue(String promql, double expected, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    double last = Double.NaN;
    while (System.nanoTime() < deadline) {
      last = query(promql);
      if (last == expected) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(what + ": Prometheus says " + promql + " = " + last + ", expected " + expected
        + "; its log:\n" + Files.readString(dir.resolve("prometheus.log")));
  }

  /** The one value of an instant query; NaN while it has none (not scraped yet, or Prometheus starting). */
  private double query(String promql) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
          + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = VALUE.matcher(r.body());
      return r.statusCode() == 200 && m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (IOException notYetListening) {
      return Double.NaN;
    }
  }

  private static String hostPort(String url) {
    return URI.create(url).getAuthority();
  }
}
