package io.kiln.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prints the issues' targets against a JMH run, met or not: compiled-over-interpreted speedups per
 * query and micro benchmark, Kiln against DuckDB in memory, and Parquet scans against DuckDB. Run after
 * {@code java -jar target/benchmarks.jar -rf csv -rff results.csv} with
 * {@code java -cp target/benchmarks.jar io.kiln.bench.TargetReport results.csv} (several files are read as one).
 */
public final class TargetReport {
  private TargetReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: TargetReport <JMH results written with -rf csv -rff FILE>...");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      files.add(Path.of(a));
    }
    JmhResults results = JmhResults.read(files);
    System.out.println("Targets: speedup = interpreted time / compiled time");
    System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s %9s  %s%n", "", "interpreted", "compiled", "speedup", "target",
        "met");
    micro(results, "aggregateFewGroups", 3);
    micro(results, "aggregateManyGroups", 3);
    query(results, 1, 3);
    query(results, 6, 2);
    query(results, 18, 2);
    query(results, 3, 1);
    query(results, 9, 1);
    compileTargets(results);

    System.out.println();
    System.out.println("All micro benchmarks, ns/row (1 thread)");
    for (String name : new String[] {"filter", "decimalProjection", "joinProbeSmallBuild", "joinProbeLargeBuild",
        "aggregateFewGroups", "aggregateManyGroups", "topN"}) {
      micro(results, name, 0);
    }

    System.out.println();
    System.out.println("TPC-H in memory, ms/query (2 threads); ratio = Kiln compiled / DuckDB");
    System.out.printf(Locale.ROOT, "%-6s %16s %16s %16s %8s%n", "query", "kiln-interpreted", "kiln-compiled", "duckdb",
        "ratio");
    for (int q : new int[] {1, 3, 6, 9, 18}) {
      Optional<JmhResults.Score> i = tpch(results, q, "kiln-interpreted");
      Optional<JmhResults.Score> c = tpch(results, q, "kiln-compiled");
      Optional<JmhResults.Score> d = tpch(results, q, "duckdb");
      if (i.isEmpty() && c.isEmpty() && d.isEmpty()) {
        continue;
      }
      String ratio = c.isPresent() && d.isPresent() ? String.format(Locale.ROOT, "%.2f", c.get().value / d.get().value) : "-";
      System.out.printf(Locale.ROOT, "%-6s %16s %16s %16s %8s%n", "Q" + q, show(i), show(c), show(d), ratio);
    }

    System.out.println();
    System.out.println("Scans of SF 1 lineitem from Parquet, ms/query; ratio = Kiln / DuckDB, target <= 1.5");
    System.out.printf(Locale.ROOT, "%-12s %7s %14s %14s %8s  %s%n", "query", "threads", "kiln", "duckdb", "ratio", "met");
    for (String q : new String[] {"sum", "dateFilter", "fourColumns"}) {
      for (int threads = 1; threads <= 2; threads++) {
        Optional<JmhResults.Score> k = scan(results, q, "kiln", threads);
        Optional<JmhResults.Score> d = scan(results, q, "duckdb", threads);
        if (k.isEmpty() && d.isEmpty()) {
          continue;
        }
        double ratio = k.isPresent() && d.isPresent() ? k.get().value / d.get().value : Double.NaN;
        System.out.printf(Locale.ROOT, "%-12s %7d %14s %14s %8s  %s%n", q, threads, show(k), show(d),
            Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
            Double.isNaN(ratio) ? "not run" : ratio <= 1.5 ? "yes" : "NO");
      }
    }
  }

  private static Optional<JmhResults.Score> scan(JmhResults results, String query, String engine, int threads) {
    return results.find("ScanBenchmarks.run", Map.of("query", query, "engine", engine, "threads",
        String.valueOf(threads)));
  }

  /**
   * From CompileTimeBenchmarks: Janino's mean per pipeline over the cold runs (the p50 is printed in
   * the run's log, as JMH cannot carry it), and pipelines compiled by a repeated (warm) query.
   */
  private static void compileTargets(JmhResults results) {
    double millis = 0;
    double pipelines = 0;
    double warmCompiles = 0;
    boolean warmRan = false;
    for (JmhResults.Score s : results.all()) {
      if (s.benchmark.equals("CompileTimeBenchmarks.cold:compileMillis")) {
        millis += s.value;
      } else if (s.benchmark.equals("CompileTimeBenchmarks.cold:pipelinesCompiled")) {
        pipelines += s.value;
      } else if (s.benchmark.equals("CompileTimeBenchmarks.warm:pipelinesCompiled")) {
        // JMH sums event counters over the measured single-shot iterations: one query each.
        warmCompiles = Math.max(warmCompiles, s.value / s.samples);
        warmRan = true;
      }
    }
    if (pipelines > 0) {
      double mean = millis / pipelines;
      System.out.printf(Locale.ROOT, "%-34s %25s %8s %9s  %s%n", "compile ms per pipeline (cold)",
          String.format(Locale.ROOT, "mean %.2f", mean), "", "p50<=5", (mean <= 5 ? "mean yes" : "mean NO")
              + "; p50 in the run's log (\"compile ms per pipeline\")");
    } else {
      System.out.println("compile ms per pipeline (cold): not run");
    }
    if (warmRan) {
      System.out.printf(Locale.ROOT, "%-34s %25s %8s %9s  %s%n", "pipelines compiled per warm query",
          String.format(Locale.ROOT, "max %.1f", warmCompiles), "", "0", warmCompiles == 0 ? "yes" : "NO");
    } else {
      System.out.println("pipelines compiled, repeated query: not run");
    }
  }

  private static void micro(JmhResults results, String name, double target) {
    row("micro " + name + " (ns/row)", results.find("MicroBenchmarks." + name, Map.of("mode", "interpreted")),
        results.find("MicroBenchmarks." + name, Map.of("mode", "compiled")), target);
  }

  private static void query(JmhResults results, int q, double target) {
    row("TPC-H Q" + q + " (ms)", tpch(results, q, "kiln-interpreted"), tpch(results, q, "kiln-compiled"), target);
  }

  private static Optional<JmhResults.Score> tpch(JmhResults results, int q, String engine) {
    return results.find("TpchBenchmarks.run", Map.of("query", String.valueOf(q), "engine", engine));
  }

  /** A target of 0 prints the speedup without judging it; 1 reads "no slower". */
  private static void row(String label, Optional<JmhResults.Score> interpreted, Optional<JmhResults.Score> compiled,
      double target) {
    String speedup = "-";
    String met = interpreted.isPresent() && compiled.isPresent() ? "" : "not run";
    if (interpreted.isPresent() && compiled.isPresent()) {
      double i = interpreted.get().value;
      double c = compiled.get().value;
      speedup = String.format(Locale.ROOT, "%.2fx", i / c);
      if (target > 0) {
        met = i / c >= target ? "yes" : "NO";
        // Equal code measured twice rarely gives exactly 1.00: say when the gap is inside the noise.
        if (i / c < target && target == 1 && c - i <= interpreted.get().error + compiled.get().error) {
          met += " (within error)";
        }
      }
    }
    String goal = target == 0 ? "" : target == 1 ? "no slower" : String.format(Locale.ROOT, ">=%.0fx", target);
    System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s %9s  %s%n", label, show(interpreted), show(compiled), speedup,
        goal, met);
  }

  private static String show(Optional<JmhResults.Score> s) {
    if (s.isEmpty()) {
      return "-";
    }
    double error = s.get().error;
    return Double.isNaN(error)
        ? String.format(Locale.ROOT, "%.1f", s.get().value)
        : String.format(Locale.ROOT, "%.1f±%.1f", s.get().value, error);
  }
}
