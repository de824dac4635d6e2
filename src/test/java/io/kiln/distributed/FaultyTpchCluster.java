package io.kiln.distributed;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import java.nio.file.Path;

/**
 * What the fault tests share: TPC-H SF 0.1 in {@code data}, a local cluster of worker processes
 * (1 slot each) whose scheduler declares a worker lost after 2 s of silence (so a test does not
 * wait 10 s for each killed worker's running tasks), a session on it that shuffles every join,
 * and DuckDB on the same files for the answers.
 */
final class FaultyTpchCluster implements AutoCloseable {
  final LocalCluster cluster;
  final Kiln kiln;
  private final DuckDbOracle duckDb;

  private FaultyTpchCluster(LocalCluster cluster, Kiln kiln, DuckDbOracle duckDb) {
    this.cluster = cluster;
    this.kiln = kiln;
    this.duckDb = duckDb;
  }

  static FaultyTpchCluster start(Path data, int workers) {
    TpchGenerator.generate(0.1, data, progress -> {});
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(200, 2_000);
    LocalCluster cluster = LocalCluster.start(options, workers, 1, "1g");
    Kiln kiln = null;
    DuckDbOracle duckDb = null;
    try {
      kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).build();
      TpchDriver.registerTables(kiln, data);
      duckDb = new DuckDbOracle(2);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      }
      return new FaultyTpchCluster(cluster, kiln, duckDb);
    } catch (RuntimeException e) {
      try (LocalCluster c = cluster; Kiln k = kiln; DuckDbOracle d = duckDb) {
        throw e;
      }
    }
  }

  /** Fails unless {@code result} is DuckDB's answer to {@code sql}. */
  void assertRight(String sql, Result result) {
    ResultAssert.assertSameRows(sql, result, duckDb.query(sql), ResultAssert.hasOuterOrderBy(sql));
  }

  @Override
  public void close() {
    try (LocalCluster c = cluster; Kiln k = kiln; DuckDbOracle d = duckDb) {
      // closed in reverse: DuckDB, the session (fails on leaked results), then the cluster
    }
  }
}
