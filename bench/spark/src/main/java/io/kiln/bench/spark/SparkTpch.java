package io.kiln.bench.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * Spark reference for Kiln's TPC-H numbers: times Kiln's 22 query texts ({@code tpch/q<N>.sql}) on
 * Apache Spark in {@code local[2]} over the same Parquet files, and prints per-query medians and
 * their geometric mean in the style of Kiln's {@code TpchVersusDuckDb}.
 *
 * <p>Run through {@code bench/spark/run.sh}, which builds this project and starts the JVM with the
 * {@code --add-opens} flags Spark needs on Java 17:
 *
 * <pre>
 * bench/spark/run.sh DATA_DIR [RUNS] [QUERIES] [--expect-sf1] [--sql DIR] [--shuffle-partitions N]
 * </pre>
 *
 * Arguments: the directory holding {@code <table>.parquet} for the 8 tables, timed runs per query
 * after one warm-up (default 3), the queries ({@code all}, the default, or e.g. {@code 3,9,18}).
 * {@code --expect-sf1} checks every query's row count against the SF 1 answers; without it they
 * are checked only when lineitem has SF 1's 6,001,215 rows. {@code --sql} names the folder of the
 * query texts (default: the system property {@code kiln.tpch.sql}, which run.sh sets to the
 * repository's {@code tpch/}, else {@code tpch} in the working directory).
 *
 * <p>Each run is {@code spark.sql(text).collect()}, timed from parsing to the last row on the
 * driver, as Kiln's harness times {@code execute}. Tables are temp views over the Parquet files,
 * read afresh by every run (no caching), as Kiln reads them.
 */
public final class SparkTpch {
  static final List<String> TABLES =
      List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem");

  /** Rows of each answer at SF 1 (index = query number). */
  static final int[] SF1_ROWS = {
    -1, 4, 100, 10, 5, 5, 1, 4, 2, 175, 20, 1048, 2, 42, 1, 1, 18314, 1, 57, 1, 186, 100, 7
  };

  static final long SF1_LINEITEM_ROWS = 6_001_215L;

  /**
   * Per-query rewrites of Kiln's texts into SQL Spark accepts, applied before timing. Empty: Spark
   * 4.0 parses all 22 texts as Kiln has them (date +/- INTERVAL, extract, substring FROM FOR).
   */
  static final Map<Integer, UnaryOperator<String>> REWRITES = new LinkedHashMap<>();

  /**
   * 8 = 4 per core, the same fan-out as Kiln's two-phase aggregation (4 partitions per thread):
   * each core gets several tasks so one skewed partition does not idle the other, and few enough
   * that per-task overhead (Spark's default of 200 is for clusters) stays small.
   */
  static final int DEFAULT_SHUFFLE_PARTITIONS = 8;

  private SparkTpch() {}

  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    boolean expectSf1 = false;
    Path sqlDir = Path.of(System.getProperty("kiln.tpch.sql", "tpch"));
    int shufflePartitions = DEFAULT_SHUFFLE_PARTITIONS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--expect-sf1" -> expectSf1 = true;
        case "--sql" -> sqlDir = Path.of(value(args, ++i));
        case "--shuffle-partitions" -> shufflePartitions = Integer.parseInt(value(args, ++i));
        default -> {
          if (args[i].startsWith("--")) {
            usage("unknown option " + args[i]);
          }
          positional.add(args[i]);
        }
      }
    }
    if (positional.isEmpty() || positional.size() > 3) {
      usage(null);
    }
    Path dataDir = Path.of(positional.get(0));
    int runs = positional.size() >= 2 ? Integer.parseInt(positional.get(1)) : 3;
    List<Integer> queries = positional.size() == 3 && !positional.get(2).equals("all")
        ? parseQueries(positional.get(2)) : allQueries();
    if (runs < 1 || shufflePartitions < 1) {
      usage("runs and shuffle partitions must be at least 1");
    }
    for (String table : TABLES) {
      if (!Files.isRegularFile(dataDir.resolve(table + ".parquet"))) {
        usage("missing " + dataDir.resolve(table + ".parquet") + ": generate the TPC-H data first");
      }
    }
    Map<Integer, String> sql = new LinkedHashMap<>();
    for (int q : queries) {
      Path file = sqlDir.resolve("q" + q + ".sql");
      if (!Files.isRegularFile(file)) {
        usage("missing " + file + ": pass the folder of Kiln's query texts with --sql");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      sql.put(q, REWRITES.getOrDefault(q, UnaryOperator.identity()).apply(text));
    }

    SparkSession spark = SparkSession.builder()
        .appName("kiln-tpch-spark")
        .master("local[2]")
        .config("spark.sql.shuffle.partitions", shufflePartitions)
        .config("spark.ui.enabled", false)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    List<String> failures = new ArrayList<>();
    try {
      for (String table : TABLES) {
        spark.read().parquet(dataDir.resolve(table + ".parquet").toString()).createOrReplaceTempView(table);
      }
      long lineitemRows = spark.table("lineitem").count();
      boolean check = expectSf1 || Math.abs(lineitemRows - SF1_LINEITEM_ROWS) < 1000;
      System.out.printf(Locale.ROOT, "TPC-H on %s, Spark %s local[2], %d shuffle partitions, %d runs after a warm-up,"
          + " medians in ms%n", dataDir, spark.version(), shufflePartitions, runs);
      System.out.println(check ? "row counts checked against the SF 1 answers"
          : "lineitem has " + lineitemRows + " rows, not SF 1's: row counts not checked (--expect-sf1 forces it)");
      if (!REWRITES.isEmpty()) {
        System.out.println("rewritten for Spark: " + REWRITES.keySet().stream().filter(queries::contains)
            .map(q -> "q" + q).toList());
      }
      System.out.printf(Locale.ROOT, "%-8s%13s%10s%n", "query", "spark", "rows");
      List<Double> medians = new ArrayList<>();
      for (int q : queries) {
        String text = sql.get(q);
        double[] ms = new double[runs];
        int rows;
        try {
          rows = spark.sql(text).collectAsList().size(); // warm-up
          for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            int n = spark.sql(text).collectAsList().size();
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (n != rows) {
              throw new IllegalStateException("run " + (i + 1) + " returned " + n + " rows, the warm-up " + rows);
            }
          }
        } catch (Exception e) {
          String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
          System.out.printf(Locale.ROOT, "%-8s%13s%10s   ERROR %s: %s%n", "q" + q, "-", "-",
              e.getClass().getSimpleName(), message);
          failures.add("q" + q + " failed: " + message);
          continue;
        }
        double median = median(ms);
        medians.add(median);
        String note = "";
        if (check && rows != SF1_ROWS[q]) {
          note = "   <<< ROW COUNT MISMATCH: expected " + SF1_ROWS[q];
          failures.add("q" + q + " returned " + rows + " rows, the SF 1 answer has " + SF1_ROWS[q]);
        }
        System.out.printf(Locale.ROOT, "%-8s%13.1f%10d%s%n", "q" + q, median, rows, note);
      }
      System.out.printf(Locale.ROOT, "%-8s%13.1f%n", "geomean",
          geometricMean(medians.stream().mapToDouble(Double::doubleValue).toArray()));
    } finally {
      spark.stop();
    }
    if (!failures.isEmpty()) {
      System.out.println();
      System.out.println("!!! " + failures.size() + " QUERY FAILURE(S) !!!");
      failures.forEach(f -> System.out.println("!!! " + f));
      System.exit(1);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Geometric mean as Kiln's TpchDriver computes it (values below 0.001 count as 0.001). */
  static double geometricMean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double logSum = 0;
    for (double v : values) {
      logSum += Math.log(Math.max(v, 1e-3));
    }
    return Math.exp(logSum / values.length);
  }

  private static List<Integer> allQueries() {
    List<Integer> all = new ArrayList<>();
    for (int q = 1; q <= 22; q++) {
      all.add(q);
    }
    return all;
  }

  private static List<Integer> parseQueries(String list) {
    List<Integer> out = new ArrayList<>();
    for (String q : list.split(",")) {
      int n = Integer.parseInt(q.trim());
      if (n < 1 || n > 22) {
        usage("no TPC-H query " + n);
      }
      out.add(n);
    }
    return out;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println(problem);
    }
    System.err.println("usage: SparkTpch <data dir> [runs, default 3] [queries: all or e.g. 3,9,18]"
        + " [--expect-sf1] [--sql DIR] [--shuffle-partitions N]");
    System.exit(2);
  }
}
