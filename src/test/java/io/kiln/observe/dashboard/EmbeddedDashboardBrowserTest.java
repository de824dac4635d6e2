package io.kiln.observe.dashboard;

import io.kiln.Kiln;
import io.kiln.tpch.TpchDriver;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An embedded session's dashboard in headless Chromium. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedDashboardBrowserTest {
  @TempDir static Path dir;
  private static Kiln kiln;
  private static HeadlessChromium browser;
  private static DashboardBrowserChecks checks;

  @BeforeAll
  static void start() throws Exception {
    Path data = DashboardData.tpch(dir, 0.05);
    kiln = Kiln.builder().threads(2).compileMinRows(0).dashboardPort(0).build();
    TpchDriver.registerTables(kiln, data);
    browser = HeadlessChromium.start(dir);
    checks = new DashboardBrowserChecks(browser, kiln.dashboardUrl(), kiln, "embedded");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (kiln != null) {
        kiln.close();
      }
    }
  }

  @Test
  void aFinishedQueryShowsItsDagAndMetrics() throws Exception {
    checks.finishedQueryShowsItsDagAndMetrics(DashboardData.QUICK, "rows=", "compiled (");
  }

  @Test
  void aRunningQueryShowsProgressThatAdvances() throws Exception {
    checks.runningQueryProgressAdvances(DashboardData.progressing(3000));
  }

  @Test
  void theCancelButtonCancelsTheQuery() throws Exception {
    checks.cancelButtonStopsTheQuery(DashboardData.SLOW_ENOUGH_TO_CLICK);
  }
}
