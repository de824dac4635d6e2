package io.kiln.bench;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One operator at a time, interpreted against compiled, in nanoseconds per row of {@code facts}
 * ({@value SyntheticTables#FACT_ROWS} rows, see {@link SyntheticTables}). Each benchmark is a whole
 * SQL query whose answer is a handful of rows, so the time is the operator's, not the result's.
 * Kiln runs on one worker thread: the point is the quality of the code per row, not scaling.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SyntheticTables.FACT_ROWS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS, JvmFlags.UNSAFE_ALLOCATOR, JvmFlags.UNSAFE_ACCESS,
    JvmFlags.NO_NULL_CHECK_FOR_GET, JvmFlags.MICRO_HEAP})
@Threads(1)
public class MicroBenchmarks {
  /** A selective filter (about 1 % of rows pass), like TPC-H Q6's, feeding a count. */
  static final String FILTER = "SELECT count(*) FROM facts"
      + " WHERE ship_date >= DATE '1994-01-01' AND ship_date < DATE '1995-01-01'"
      + " AND discount BETWEEN 0.05 AND 0.07 AND quantity < 24";

  /** TPC-H Q1's decimal expression over every row; the sum only keeps the answer small. */
  static final String DECIMAL_PROJECTION = "SELECT sum(price * (1 - discount) * (1 + tax)) FROM facts";

  /** Every row probes a 1 K-entry hash table (cache resident) and matches once. */
  static final String JOIN_SMALL_BUILD =
      "SELECT count(*), sum(d.weight) FROM facts f JOIN dim_small d ON f.small_fk = d.dkey";

  /** Every row probes a 1 M-entry hash table (beyond the L2 cache) and matches once; includes the build. */
  static final String JOIN_LARGE_BUILD =
      "SELECT count(*), sum(d.weight) FROM facts f JOIN dim_large d ON f.large_fk = d.dkey";

  static final String AGGREGATE_FEW_GROUPS =
      "SELECT few_key, sum(quantity), sum(price), avg(discount), count(*) FROM facts GROUP BY few_key";

  /** About a million groups; the HAVING clause is never true, so no group reaches the result. */
  static final String AGGREGATE_MANY_GROUPS =
      "SELECT many_key, sum(quantity), sum(price), count(*) FROM facts GROUP BY many_key HAVING sum(price) < 0";

  static final String TOP_N = "SELECT id, price FROM facts ORDER BY price DESC, id LIMIT 100";

  @Param({"interpreted", "compiled"})
  public String mode;

  private Kiln kiln;

  @Setup(Level.Trial)
  public void setUp() {
    kiln = Kiln.builder().threads(1).executionMode(ExecutionMode.parse(mode)).build();
    try (BufferAllocator staging = new RootAllocator()) {
      SyntheticTables.register(kiln, staging);
    } catch (RuntimeException e) {
      kiln.close();
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    // Shows in the run's log that compiled mode compiled (and did not fall back to interpreting).
    System.out.println("codegen: " + kiln.codegenMetrics());
    kiln.close();
  }

  @Benchmark
  public Result filter() {
    return kiln.execute(FILTER);
  }

  @Benchmark
  public Result decimalProjection() {
    return kiln.execute(DECIMAL_PROJECTION);
  }

  @Benchmark
  public Result joinProbeSmallBuild() {
    return kiln.execute(JOIN_SMALL_BUILD);
  }

  @Benchmark
  public Result joinProbeLargeBuild() {
    return kiln.execute(JOIN_LARGE_BUILD);
  }

  @Benchmark
  public Result aggregateFewGroups() {
    return kiln.execute(AGGREGATE_FEW_GROUPS);
  }

  @Benchmark
  public Result aggregateManyGroups() {
    return kiln.execute(AGGREGATE_MANY_GROUPS);
  }

  @Benchmark
  public Result topN() {
    return kiln.execute(TOP_N);
  }
}
