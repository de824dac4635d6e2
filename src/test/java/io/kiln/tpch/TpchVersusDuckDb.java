package io.kiln.tpch;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.DuckDbOracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the 22 TPC-H queries on Kiln (interpreted, compiled) and DuckDB over the same Parquet
 * files and thread count, and prints per-query medians and geometric means. Give one engine per
 * run (the fifth argument) to time DuckDB in a JVM of its own, as a fair comparison needs.
 *
 * <p>Run (exec:java runs inside Maven's JVM, so Arrow's JVM flags go in MAVEN_OPTS):
 *
 * <pre>
 * MAVEN_OPTS="--add-opens=java.base/java.nio=ALL-UNNAMED -Darrow.allocation.manager.type=Unsafe -Xmx6g" \
 *   mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kiln.tpch.TpchVersusDuckDb -Dexec.args="DATA_DIR 3 2"
 * </pre>
 *
 * Arguments: the directory holding {@code <table>.parquet}, timed runs per query (after one
 * warm-up), threads for every engine, optionally the queries to run (e.g. {@code 3,9,18}, or
 * {@code all}) and the engines (default {@code interpreted,compiled,duckdb}). Cluster workers' heap:
 * {@code -Dkiln.bench.workerHeap=6g} (default 8g for one worker, 4g each for three).
 */
public final class TpchVersusDuckDb {
  private TpchVersusDuckDb() {}

  public static void main(String[] args) {
    if (args.length < 3 || args.length > 5) {
      System.err.println("usage: TpchVersusDuckDb <data dir> <runs> <threads> [queries, e.g. 3,9,18 or all]"
          + " [engines: interpreted,compiled,duckdb,cluster1,cluster3]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    if (runs < 1 || threads < 1) {
      throw new IllegalArgumentException("runs and threads must be at least 1");
    }
    List<Integer> queries = args.length >= 4 && !args[3].equals("all") ? parseQueries(args[3]) : TpchQueries.all();
    List<String> engines = List.of((args.length == 5 ? args[4] : "interpreted,compiled,duckdb").split(","));
    // An engine not asked for is not even opened: DuckDB timed in a JVM of its own runs as it would
    // alone, while one sharing Kiln's JVM is slowed by its heap and JIT (and flatters Kiln).
    List<AutoCloseable> open = new ArrayList<>();
    List<Runnable> runners = new ArrayList<>();
    List<List<Double>> times = new ArrayList<>();
    String[] sql = new String[1];
    java.util.Map<String, Kiln> clusters = new java.util.LinkedHashMap<>();
    try {
      for (String engine : engines) {
        switch (engine) {
          case "interpreted", "compiled" -> {
            Kiln kiln = Kiln.builder().threads(threads).compileFallback(false)
                .executionMode(engine.equals("compiled") ? ExecutionMode.COMPILED : ExecutionMode.INTERPRETED).build();
            open.add(kiln);
            TpchDriver.registerTables(kiln, dataDir);
            runners.add(() -> kiln.execute(sql[0]));
          }
          case "duckdb" -> {
            DuckDbOracle duckDb = new DuckDbOracle(threads);
            open.add(duckDb);
            for (String table : TpchDriver.TABLES) {
              duckDb.registerParquet(table, dataDir.resolve(table + ".parquet"));
            }
            runners.add(() -> duckDb.query(sql[0]));
          }
          case "cluster1", "cluster3" -> {
            // a local cluster of worker JVMs sharing the session's threads as task slots
            int workers = engine.equals("cluster1") ? 1 : 3;
            io.kiln.distributed.LocalCluster cluster = io.kiln.distributed.LocalCluster.start(workers,
                Math.max(1, threads / workers), 0,
                System.getProperty("kiln.bench.workerHeap", workers == 1 ? "8g" : "4g"));
            open.add(cluster);
            Kiln kiln = Kiln.builder().threads(threads).compileFallback(false).executionMode(ExecutionMode.COMPILED)
                .cluster(cluster.address()).build();
            open.add(0, kiln); // closed before its cluster
            TpchDriver.registerTables(kiln, dataDir);
            runners.add(() -> kiln.execute(sql[0]));
            clusters.put(engine, kiln);
          }
          default -> throw new IllegalArgumentException("unknown engine " + engine
              + ": interpreted, compiled, duckdb, cluster1, cluster3");
        }
        times.add(new ArrayList<>());
      }
      System.out.printf(Locale.ROOT, "TPC-H on %s, %d runs after a warm-up, %d threads, medians in ms%n", dataDir, runs,
          threads);
      StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s", "query"));
      engines.forEach(e -> header.append(String.format(Locale.ROOT, "%13s", e)));
      System.out.println(header);
      for (int q : queries) {
        sql[0] = TpchQueries.text(q);
        double[] ms = time(runs, runners.toArray(new Runnable[0]));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", "q" + q));
        for (int e = 0; e < ms.length; e++) {
          times.get(e).add(ms[e]);
          line.append(String.format(Locale.ROOT, "%13.1f", ms[e]));
        }
        System.out.println(line);
      }
      StringBuilder geo = new StringBuilder(String.format(Locale.ROOT, "%-8s", "geomean"));
      for (List<Double> t : times) {
        geo.append(String.format(Locale.ROOT, "%13.1f", TpchDriver.geometricMean(toArray(t))));
      }
      System.out.println(geo);
      clusters.forEach((engine, kiln) -> printStages(engine, kiln, queries));
    } finally {
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot close an engine", e);
        }
      }
    }
  }

  /**
   * One warm-up of each engine, then {@code runs} rounds running each engine once, in turn (so a
   * busy machine slows them alike); each engine's median in milliseconds.
   */
  private static double[] time(int runs, Runnable... engines) {
    for (Runnable e : engines) {
      e.run();
    }
    double[][] ms = new double[engines.length][runs];
    for (int i = 0; i < runs; i++) {
      for (int e = 0; e < engines.length; e++) {
        long start = System.nanoTime();
        engines[e].run();
        ms[e][i] = (System.nanoTime() - start) / 1e6;
      }
    }
    double[] medians = new double[engines.length];
    for (int e = 0; e < engines.length; e++) {
      medians[e] = TpchDriver.median(ms[e]);
    }
    return medians;
  }

  private static final java.util.regex.Pattern STAGE = java.util.regex.Pattern.compile(
      "^Stage \\d+ .*: (\\d+)/(\\d+) tasks done, (\\d+) rows, (\\d+) bytes, slowest task (\\d+) ms$");

  /** Per query on a cluster engine: its stages, tasks and the bytes its stages wrote for the next (from EXPLAIN ANALYZE). */
  private static void printStages(String engine, Kiln kiln, List<Integer> queries) {
    System.out.printf(Locale.ROOT, "%n%s: stages, tasks and bytes shuffled per query%n%-8s%8s%8s%14s%n", engine, "query",
        "stages", "tasks", "MB shuffled");
    for (int q : queries) {
      int stages = 0;
      long tasks = 0;
      long bytes = 0;
      for (Object[] row : kiln.execute("EXPLAIN ANALYZE " + TpchQueries.text(q)).rows()) {
        java.util.regex.Matcher m = STAGE.matcher((String) row[0]);
        if (m.matches()) {
          stages++;
          tasks += Long.parseLong(m.group(2));
          bytes += Long.parseLong(m.group(4));
        }
      }
      System.out.printf(Locale.ROOT, "%-8s%8d%8d%14.1f%n", "q" + q, stages, tasks, bytes / 1e6);
    }
  }

  private static List<Integer> parseQueries(String list) {
    List<Integer> out = new ArrayList<>();
    for (String q : list.split(",")) {
      out.add(Integer.parseInt(q.trim()));
    }
    return out;
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
