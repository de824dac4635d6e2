package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers with a 12 MiB memory limit spill the groups of TPC-H's aggregations by order key to disk (under
 * their work directories) and still give DuckDB's answers; their metrics count the bytes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterSpillTest {
  private static final Pattern SPILLED = Pattern.compile("(?m)^kiln_spill_bytes_total (\\S+)$");

  @TempDir Path dir;

  @Test
  void workersSpillLargeAggregationsAndGiveTheSameAnswers() throws Exception {
    Path data = dir.resolve("data");
    TpchGenerator.generate(0.1, data, progress -> {});
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0);
    try (LocalCluster cluster = LocalCluster.start(options, 2, 2, "1g", List.of("--memory-limit", "12m"));
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).build();
        DuckDbOracle duckDb = new DuckDbOracle(2)) {
      TpchDriver.registerTables(kiln, data);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      }
      for (int q : new int[] {18, 13, 3}) {
        String sql = TpchQueries.text(q);
        Result result = kiln.execute(sql);
        ResultAssert.assertSameRows(sql, result, duckDb.query(sql), ResultAssert.hasOuterOrderBy(sql));
      }
      double spilled = spilledBytes(cluster.workerMetricsUrl(0)) + spilledBytes(cluster.workerMetricsUrl(1));
      assertTrue(spilled > 0, "the workers spilled nothing");
    }
  }

  private static double spilledBytes(String metricsUrl) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = SPILLED.matcher(response.body());
    assertTrue(m.find(), "no kiln_spill_bytes_total in " + metricsUrl);
    return Double.parseDouble(m.group(1));
  }
}
