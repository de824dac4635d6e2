package io.kiln.observe.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.QueryHandle;
import io.kiln.distributed.LocalCluster;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.tpch.TpchDriver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduler's dashboard in headless Chromium, with a local cluster of two worker processes
 * running the queries: stages are the cluster's, tasks run on the workers, cancel goes through
 * the scheduler's cancel path.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterDashboardBrowserTest {
  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static DashboardServer dashboard;
  private static Kiln kiln;
  private static HeadlessChromium browser;
  private static DashboardBrowserChecks checks;

  @BeforeAll
  static void start() throws Exception {
    Path data = DashboardData.tpch(dir, 0.05);
    cluster = LocalCluster.start(SchedulerOptions.defaults().withAddress("127.0.0.1", 0), 2, 2, "1g");
    dashboard = DashboardServer.start("127.0.0.1", 0, cluster.scheduler().dashboard(), cluster.scheduler().metrics(),
        "http://zipkin.invalid:9411/zipkin/traces/{traceId}");
    kiln = Kiln.builder().threads(2).compileMinRows(0).cluster(cluster.address()).build();
    TpchDriver.registerTables(kiln, data);
    browser = HeadlessChromium.start(dir);
    checks = new DashboardBrowserChecks(browser, dashboard.url(), kiln, "cluster");
  }

  @AfterAll
  static void stop() throws Exception {
    try (AutoCloseable c = cluster; AutoCloseable d = dashboard; AutoCloseable k = kiln; AutoCloseable b = browser) {
      // closed in reverse order: the browser, the client, the dashboard, then the cluster's processes
    }
  }

  @Test
  void aFinishedQueryShowsItsDagAndMetrics() throws Exception {
    // the workers compile every pipeline (the session's setting) and task 0 of each stage sends its code
    checks.finishedQueryShowsItsDagAndMetrics(DashboardData.QUICK, "tasks done", "task 0 on worker");
  }

  @Test
  void aRunningQueryShowsProgressThatAdvances() throws Exception {
    checks.runningQueryProgressAdvances(DashboardData.SELF_JOIN);
  }

  @Test
  void aRunningTasksRowsReadReachTheBoardBeforeItEnds() throws Exception {
    QueryHandle handle = kiln.submit(DashboardData.SELF_JOIN);
    try {
      // a stage none of whose tasks has finished, yet has read rows: its workers' heartbeats said so
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean seen = false;
      while (!seen && System.nanoTime() < deadline) {
        seen = cluster.scheduler().dashboard().queries().stream()
            .filter(q -> q.sql().equals(DashboardData.SELF_JOIN) && q.status().equals("running"))
            .flatMap(q -> q.stages().stream()).anyMatch(s -> s.tasksDone() == 0 && s.rowsRead() > 0);
        Thread.sleep(50);
      }
      assertTrue(seen, "no running stage showed the rows its tasks had read");
    } finally {
      handle.cancel();
    }
    try {
      handle.result(60, TimeUnit.SECONDS);
    } catch (KilnException e) {
      assertEquals(KilnException.Kind.CANCELLED, e.kind(), e.getMessage());
    }
  }

  @Test
  void theCancelButtonCancelsTheQuery() throws Exception {
    checks.cancelButtonStopsTheQuery(DashboardData.SELF_JOIN);
  }

  @Test
  void theSchedulersMetricsAreOnItsDashboardPort() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard.url()
        + "metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.body().contains("kiln_workers{state=\"live\"} 2.0"), r.body());
  }
}
