package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.KilnException;
import io.kiln.Result;
import java.io.BufferedWriter;
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
      "  kiln sql --parquet-dir data/sf0.1 \"EXPLAIN SELECT * FROM nation\""
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
          + " Repeatable.")
  private Map<String, Path> tables = new LinkedHashMap<>();

  @Option(names = "--csv", paramLabel = "NAME=PATH", description = "Registers a CSV file as table NAME. Repeatable.")
  private Map<String, Path> csvTables = new LinkedHashMap<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private OutputFormat format = OutputFormat.table;

  @Parameters(
      paramLabel = "SQL",
      description = "One or more statements separated by ';'. Only the last one's result is printed.")
  private String sql;

  @Override
  public Integer call() throws Exception {
    // Check every path before starting the engine, so a typo fails fast and names the option.
    Map<String, Path> parquet = new LinkedHashMap<>();
    if (parquetDir != null) {
      parquet.putAll(ParquetDir.tables(parquetDir));
    }
    Map<String, Path> csv = new LinkedHashMap<>();
    tables.forEach((name, path) -> {
      requireExists("--table " + name, path);
      (isCsv(path) ? csv : parquet).put(name, path);
    });
    csvTables.forEach((name, path) -> {
      requireExists("--csv " + name, path);
      csv.put(name, path);
    });

    KilnCli cli = KilnCli.of(spec);
    try (Kiln kiln = engine.open()) {
      parquet.forEach(kiln::registerParquet);
      csv.forEach(kiln::registerCsv);
      Result result = kiln.execute(sql);
      Writer out = new BufferedWriter(new OutputStreamWriter(cli.out(), StandardCharsets.UTF_8), 1 << 16);
      format.formatter().write(result, out);
      out.flush();
    }
    return ExitCodes.OK;
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
