package io.kiln.observe.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.error.KilnException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the browser tests check on a dashboard, whoever serves it (an embedded session, a
 * cluster's scheduler): pages load without console errors, a running query's progress advances
 * on the page, a finished query shows its DAG and metrics, and the cancel button stops a query.
 */
final class DashboardBrowserChecks {
  /** Where the screenshots for the README go (copied to docs/ by hand when they change). */
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  private final HeadlessChromium browser;
  private final WebDriver driver;
  private final String base;
  private final Kiln kiln;
  private final String name;

  /** {@code base} is the dashboard's URL; {@code kiln} runs the queries it shows; {@code name} tags the screenshots. */
  DashboardBrowserChecks(HeadlessChromium browser, String base, Kiln kiln, String name) {
    this.browser = browser;
    this.driver = browser.driver();
    this.base = base;
    this.kiln = kiln;
    this.name = name;
  }

  /**
   * The front page and a finished query's page: the DAG is drawn, the operators' rows are shown,
   * and the generated code (sessions compiling every pipeline) with {@code codeMarker} in it.
   */
  void finishedQueryShowsItsDagAndMetrics(String sql, String analyzeMarker, String codeMarker) throws Exception {
    kiln.execute(sql);
    open("");
    await(Duration.ofSeconds(20), d -> !d.findElements(By.cssSelector("tr.history-row")).isEmpty());
    assertNoConsoleErrors("the front page");
    click(By.xpath("//tr[contains(@class,'history-row')][td[@title=" + xpathString(sql) + "]]//a"));
    await(Duration.ofSeconds(20), d -> number("return window.kilnGraph ? window.kilnGraph.nodes().length : 0") >= 2);
    await(Duration.ofSeconds(20), d -> d.findElement(By.id("analyze")).getText().contains(analyzeMarker));
    long nodes = number("return window.kilnGraph.nodes().length");
    long edges = number("return window.kilnGraph.edges().length");
    assertEquals(driver.findElements(By.cssSelector("#stages tr")).size(), nodes, "a node per stage");
    assertTrue(edges >= 1, "the stages are linked: " + edges + " edges");
    assertEquals("succeeded", driver.findElement(By.id("status")).getText());
    String code = driver.findElement(By.id("code")).getText();
    assertTrue(code.contains("extends io.kiln.codegen.runtime.GeneratedPipeline") && code.contains(codeMarker), code);
    assertTrue(driver.findElement(By.id("cancel")).getAttribute("disabled") != null, "nothing to cancel");
    browser.screenshot(SCREENSHOTS.resolve(name + "-query.png"));
    assertNoConsoleErrors("a finished query's page");
  }

  /** The front page shows {@code sql} running, and its tasks done or rows grow while it runs. */
  void runningQueryProgressAdvances(String sql) throws Exception {
    open("");
    QueryHandle handle = kiln.submit(sql);
    try {
      String progress = "const q = [...document.querySelectorAll('.running-query')].find(e =>"
          + " e.querySelector('.sql').textContent === arguments[0]); if (!q) return -1; let n = 0;"
          + " q.querySelectorAll('td.tasks').forEach(td => n += parseInt(td.textContent.split('/')[0]));"
          + " q.querySelectorAll('td.rows, td.read').forEach(td => n += parseInt(td.textContent.replace(/,/g, '')));"
          + " return n;";
      await(Duration.ofSeconds(30), d -> number(progress, sql) >= 0);
      long first = number(progress, sql);
      await(Duration.ofSeconds(90), d -> {
        long now = number(progress, sql);
        assertTrue(now != -1 || first == -1, "the query left the running list before its progress moved");
        return now > first;
      });
      browser.screenshot(SCREENSHOTS.resolve(name + "-running.png"));
      assertNoConsoleErrors("the front page with a running query");
    } finally {
      handle.cancel();
    }
    awaitEnd(handle);
  }

  /** Waits for the end of a query that was cancelled (or had just ended), so the next check starts on an idle engine. */
  private static void awaitEnd(QueryHandle handle) {
    try {
      handle.result(60, TimeUnit.SECONDS);
    } catch (KilnException e) {
      assertEquals(KilnException.Kind.CANCELLED, e.kind(), e.getMessage());
    }
  }

  /** A running query's page: the cancel button stops it, and the page says so. */
  void cancelButtonStopsTheQuery(String sql) throws Exception {
    open("");
    QueryHandle handle = kiln.submit(sql);
    try {
      By link = By.xpath("//div[contains(@class,'running-query')][p/span[@class='sql' and text()=" + xpathString(sql)
          + "]]//a");
      await(Duration.ofSeconds(30), d -> !d.findElements(link).isEmpty());
      click(link);
      await(Duration.ofSeconds(20), d -> d.findElement(By.id("cancel")).isEnabled());
      driver.findElement(By.id("cancel")).click();
      await(Duration.ofSeconds(60), d -> d.findElement(By.id("status")).getText().equals("cancelled"));
      KilnException e = assertThrows(KilnException.class, () -> handle.result(60, TimeUnit.SECONDS));
      assertEquals(KilnException.Kind.CANCELLED, e.kind(), e.getMessage());
      assertTrue(!driver.findElement(By.id("error")).getText().isBlank(), "the page says why it ended");
      assertNoConsoleErrors("a cancelled query's page");
    } finally {
      handle.cancel();
    }
  }

  private void open(String path) {
    driver.get(base + path);
    await(Duration.ofSeconds(20), d -> d.findElement(By.id("live")).getText().equals("live"));
  }

  /** Clicks what {@code by} finds, again if a live update redrew it between finding and clicking. */
  private void click(By by) {
    await(Duration.ofSeconds(20), d -> {
      try {
        d.findElement(by).click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        return false;
      }
    });
  }

  private void assertNoConsoleErrors(String where) {
    List<String> errors = browser.consoleErrors();
    assertTrue(errors.isEmpty(), "console errors on " + where + ": " + errors);
  }

  private long number(String script, Object... args) {
    Object v = ((JavascriptExecutor) driver).executeScript(script, args);
    return v == null ? -1 : ((Number) v).longValue();
  }

  private void await(Duration timeout, Function<WebDriver, Boolean> condition) {
    try {
      new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition::apply);
    } catch (org.openqa.selenium.TimeoutException e) {
      // what the page showed, to tell a slow server from a broken page
      throw new AssertionError("waited " + timeout.toSeconds() + " s in vain on " + driver.getCurrentUrl()
          + "; the page said: " + driver.findElement(By.tagName("body")).getText() + "\nconsole: "
          + browser.consoleErrors(), e);
    }
  }

  /** {@code s} as an XPath string literal (SQL has quotes of both kinds). */
  private static String xpathString(String s) {
    if (!s.contains("'")) {
      return "'" + s + "'";
    }
    return "concat('" + s.replace("'", "', \"'\", '") + "')";
  }
}
