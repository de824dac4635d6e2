package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.datasource.objectstore.S3Location;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Runs SQL over Parquet and CSV files and prints the last statement's result.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  kiln sql --parquet-dir data/sf0.1 \"SELECT count(*) FROM lineitem\"",
      "  kiln sql --table t=people.csv --format json \"SELECT * FROM t WHERE age > 30\"",
      "  kiln sql --parquet-dir data/sf0.1 \"EXPLAIN SELECT * FROM nation\"",
      "  kiln sql --parquet-dir data/sf0.1 --file tpch/q1.sql",
      "  kiln sql --s3-endpoint http://127.0.0.1:9000 --s3-path-style --table li=s3://tpch/sf1/lineitem.parquet \\",
      "      \"SELECT count(*) FROM li\""
    })
final class SqlCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private EngineOptions engine;

  @Option(
      names = "--parquet-dir",
      paramLabel = "DIR",
      description = "Registers each NAME.parquet file in DIR as table NAME, and each sub-folder of"
          + " Parquet files as a table named after the folder.")
  private Path parquetDir;

  @Option(
      names = "--table",
      paramLabel = "NAME=PATH",
      description = "Registers a Parquet file or folder as table NAME (a CSV file if PATH ends in .csv)."
          + " PATH may be s3://bucket/key.parquet or s3://bucket/prefix/ (all *.parquet under it). Repeatable.")
  private Map<String, String> tables = new LinkedHashMap<>();

  @Option(names = "--csv", paramLabel = "NAME=PATH", description = "Registers a CSV file as table NAME. Repeatable.")
  private Map<String, Path> csvTables = new LinkedHashMap<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private OutputFormat format = OutputFormat.table;

  @Parameters(
      paramLabel = "SQL",
      arity = "0..1",
      description = "One or more statements separated by ';'. Only the last one's result is printed."
          + " SQL that begins with a '--' comment must come after '--' (kiln sql ... -- \"$(cat q.sql)\").")
  private String sql;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Reads the SQL from FILE (UTF-8; - reads standard input) instead of the SQL argument.")
  private String sqlFile;

  @Override
  public Integer call() throws Exception {
    // Check every path before starting the engine, so a typo fails fast and names the option.
    Map<String, String> parquet = new LinkedHashMap<>();
    if (parquetDir != null) {
      ParquetDir.tables(parquetDir).forEach((name, path) -> parquet.put(name, path.toString()));
    }
    Map<String, Path> csv = new LinkedHashMap<>();
    tables.forEach((name, location) -> {
      if (S3Location.isS3(location)) {
        parquet.put(name, location); // checked when registered: that needs the S3 client
        return;
      }
      Path path = Path.of(location);
      requireExists("--table " + name, path);
      if (isCsv(path)) {
        csv.put(name, path);
      } else {
        parquet.put(name, location);
      }
    });
    csvTables.forEach((name, path) -> {
      requireExists("--csv " + name, path);
      csv.put(name, path);
    });

    String text = statements();
    KilnCli cli = KilnCli.of(spec);
    try (AutoCloseable cluster = engine.startCluster(); CancelOnInterrupt interrupt = CancelOnInterrupt.install();
        Kiln kiln = interrupt.watch(engine.open())) {
      parquet.forEach(kiln::registerParquet);
      csv.forEach(kiln::registerCsv);
      Result result;
      try (QueryProgress progress = QueryProgress.show(new java.io.PrintWriter(cli.err(), true), cli.stderrIsTerminal(),
          kiln::progress, 1_000)) {
        result = kiln.execute(text);
      }
      Writer out = new BufferedWriter(new OutputStreamWriter(cli.out(), StandardCharsets.UTF_8), 1 << 16);
      format.formatter().write(result, out);
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** The SQL from the argument or from --file, exactly one of them. */
  private String statements() throws IOException {
    if (sql != null && sqlFile != null) {
      throw new ParameterException(spec.commandLine(), "give the SQL as an argument or with --file, not both");
    }
    if (sql != null) {
      return sql;
    }
    if (sqlFile == null) {
      throw new ParameterException(spec.commandLine(), "Missing required parameter: 'SQL' (or --file FILE)");
    }
    if (sqlFile.equals("-")) {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path path = Path.of(sqlFile);
    requireExists("--file", path);
    return Files.readString(path, StandardCharsets.UTF_8);
  }

  private static boolean isCsv(Path path) {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  private static void requireExists(String option, Path path) {
    if (!Files.exists(path)) {
      throw KilnException.io(option + ": " + path + ": no such file or directory", null);
    }
  }
}
