package io.kiln.bench;

import io.kiln.ExecutionMode;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TPC-H queries on data held in memory (loaded once per trial, before timing), Kiln interpreted
 * and compiled against DuckDB on the same data and the same {@value #THREADS} threads, in
 * milliseconds per query including fetching the whole answer as Java values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Kiln's first runs of a query take seconds (JIT): two warm-up iterations were measured still falling.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS, JvmFlags.UNSAFE_ALLOCATOR, JvmFlags.UNSAFE_ACCESS,
    JvmFlags.NO_NULL_CHECK_FOR_GET, JvmFlags.QUERY_HEAP})
@Threads(1)
public class TpchBenchmarks {
  static final int THREADS = 2;

  @Param({"1", "3", "6", "9", "18"})
  public int query;

  @Param({"kiln-interpreted", "kiln-compiled", "duckdb"})
  public String engine;

  /** The folder of {@code <table>.parquet} files, relative to where java was started. */
  @Param("data/sf1")
  public String data;

  private QueryEngine queryEngine;
  private String sql;

  @Setup(Level.Trial)
  public void setUp() {
    sql = TpchQueries.text(query);
    List<String> tables = TpchData.tablesOf(query);
    Path dataDir = Path.of(data);
    switch (engine) {
      case "kiln-interpreted":
        queryEngine = new KilnInMemory(dataDir, tables, ExecutionMode.INTERPRETED, THREADS);
        break;
      case "kiln-compiled":
        queryEngine = new KilnInMemory(dataDir, tables, ExecutionMode.COMPILED, THREADS);
        break;
      case "duckdb":
        queryEngine = DuckDb.inMemory(dataDir, tables, THREADS);
        break;
      default:
        throw new IllegalArgumentException("engine must be kiln-interpreted, kiln-compiled or duckdb, got " + engine);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (queryEngine != null) {
      queryEngine.close();
    }
  }

  @Benchmark
  public Object run() {
    return queryEngine.run(sql);
  }
}
