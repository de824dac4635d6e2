package io.kiln.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** The scores of a JMH run written with {@code -rf csv -rff FILE}. */
final class JmhResults {
  /**
   * One benchmark score: the method ("MicroBenchmarks.filter", or "...:counter" for an aux counter),
   * its parameters, score ± error, and the number of measured iterations behind it.
   */
  static final class Score {
    final String benchmark;
    final Map<String, String> params;
    final double value;
    final double error;
    final String unit;
    final int samples;

    Score(String benchmark, Map<String, String> params, double value, double error, String unit, int samples) {
      this.benchmark = benchmark;
      this.params = params;
      this.value = value;
      this.error = error;
      this.unit = unit;
      this.samples = samples;
    }
  }

  private final List<Score> scores;

  private JmhResults(List<Score> scores) {
    this.scores = scores;
  }

  /** The scores of several result files (e.g. runs of different benchmark classes), as one. */
  static JmhResults read(List<Path> files) throws IOException {
    List<Score> scores = new ArrayList<>();
    for (Path file : files) {
      read(file, scores);
    }
    return new JmhResults(scores);
  }

  private static void read(Path csv, List<Score> scores) throws IOException {
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8); CSVParser parser = format.parse(in)) {
      for (CSVRecord r : parser) {
        Map<String, String> params = new java.util.TreeMap<>();
        for (String column : parser.getHeaderNames()) {
          // JMH names parameter columns "Param: <name>"; benchmarks without that parameter leave it empty.
          if (column.startsWith("Param: ") && !r.get(column).isEmpty()) {
            params.put(column.substring("Param: ".length()), r.get(column));
          }
        }
        String benchmark = r.get("Benchmark");
        benchmark = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        scores.add(new Score(benchmark, params, number(r.get("Score")), number(r.get("Score Error (99.9%)")),
            r.get("Unit"), Integer.parseInt(r.get("Samples"))));
      }
    }
  }

  /** JMH writes NaN as the error of a single sample. */
  private static double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The score of {@code benchmark} whose parameters include all of {@code params}. */
  Optional<Score> find(String benchmark, Map<String, String> params) {
    return scores.stream()
        .filter(s -> s.benchmark.equals(benchmark) && s.params.entrySet().containsAll(params.entrySet()))
        .findFirst();
  }

  List<Score> all() {
    return scores;
  }
}
