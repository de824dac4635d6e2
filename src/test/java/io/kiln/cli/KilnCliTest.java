package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command line in-process. The tests that run SQL need the engine and fail until it is
 * merged; the rest (usage, paths, help) need none.
 */
class KilnCliTest {
  private static final String QUERY =
      "SELECT id, name, CAST(price AS DECIMAL(10,2)) AS price, CAST(shipped AS DATE) AS shipped,"
          + " CASE WHEN id = 2 THEN NULL ELSE id * 10 END AS tens FROM t ORDER BY id";

  @TempDir Path dir;
  private Path csv;

  record Run(int exit, String out, String err) {
    void assertOneErrorLine(int expectedExit, String expectedStart) {
      assertAll(
          () -> assertEquals(expectedExit, exit, "exit code; stderr: " + err),
          () -> assertTrue(err.startsWith(expectedStart), "stderr: " + err),
          () -> assertEquals(1, err.lines().count(), "one line on stderr: " + err),
          () -> assertFalse(err.contains("\tat "), "no stack trace: " + err),
          () -> assertEquals("", out));
    }
  }

  static Run kiln(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = KilnCli.run(args, o, e);
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void writeCsv() throws IOException {
    csv = dir.resolve("people.csv");
    Files.writeString(
        csv,
        "id,name,price,shipped\n"
            + "1,Ann,1.50,1998-09-02\n"
            + "2,\"Smith, \"\"Jo\"\"\",-20.00,1992-01-01\n"
            + "3,Zoë 😀,0.25,2000-02-29\n",
        StandardCharsets.UTF_8);
  }

  // ---- no engine needed ----

  @Test
  void helpListsCommandsAndExitCodes() {
    Run run = kiln("--help");
    assertEquals(0, run.exit());
    assertTrue(run.out().contains("sql"), run.out());
    assertTrue(run.out().contains("tpch"), run.out());
    assertTrue(run.out().contains("tpcds"), run.out());
    assertTrue(run.out().contains("Exit codes:"), run.out());
    assertTrue(run.out().contains("Internal error"), run.out());
  }

  @Test
  void subcommandHelpShowsOptionsAndExitCodes() {
    Run run = kiln("sql", "--help");
    assertEquals(0, run.exit());
    for (String option : new String[] {"--parquet-dir", "--table", "--csv", "--format", "--threads", "--memory-limit"}) {
      assertTrue(run.out().contains(option), option + " in " + run.out());
    }
    assertTrue(run.out().contains("Exit codes:"), run.out());
    assertEquals(0, kiln("tpch", "run", "--help").exit());
    assertEquals(0, kiln("tpch", "gen", "--help").exit());
    assertEquals(0, kiln("tpcds", "run", "--help").exit());
    assertEquals(0, kiln("tpcds", "gen", "--help").exit());
  }

  @Test
  void versionNamesKilnAndJava() {
    Run run = kiln("--version");
    assertEquals(0, run.exit());
    assertTrue(run.out().startsWith("kiln "), run.out());
    assertTrue(run.out().contains("Java "), run.out());
  }

  @Test
  void noSubcommandIsAUsageError() {
    kiln("tpch").assertOneErrorLine(2, "kiln: missing subcommand");
    kiln("tpcds").assertOneErrorLine(2, "kiln: missing subcommand");
  }

  @Test
  void noCommandOpensTheShellWhichReadsStatementsFromAPipe() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process shell = new ProcessBuilder(javaBin, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Duser.home=" + dir, "-cp", System.getProperty("java.class.path"), KilnCli.class.getName())
        .redirectErrorStream(true).start();
    try (java.io.OutputStream in = shell.getOutputStream()) {
      in.write("SELECT 41 + 1 AS answer;\n".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(shell.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the shell did not end at end of input");
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, shell.exitValue(), output);
    assertTrue(output.contains("answer") && output.contains("42"), output);
  }

  @Test
  void unknownOptionIsAUsageErrorWithASuggestion() {
    Run run = kiln("sql", "--formt", "csv", "SELECT 1");
    run.assertOneErrorLine(2, "kiln: Unknown option");
    assertTrue(run.err().contains("did you mean --format?"), run.err());
    assertTrue(run.err().contains("'kiln sql --help'"), run.err());
  }

  @Test
  void missingSqlIsAUsageError() {
    kiln("sql", "--table", "t=" + csv).assertOneErrorLine(2, "kiln: Missing required parameter: 'SQL' (or --file FILE)");
  }

  @Test
  void sqlBeginningWithACommentIsNamedInOneLine() {
    String sql = "-- the people\nSELECT count(*) FROM t";
    Run run = kiln("sql", "--table", "t=" + csv, sql);
    run.assertOneErrorLine(2, "kiln: the argument '-- the people' is SQL beginning with '-', read as an option:"
        + " put -- before it, or use --file");
    Run afterDashes = kiln("sql", "--table", "t=" + csv, "--format", "csv", "--", sql);
    assertEquals(0, afterDashes.exit(), afterDashes.err());
    assertEquals("count(*)\r\n3\r\n", afterDashes.out());
  }

  @Test
  void sqlFromAFile() throws IOException {
    Path file = dir.resolve("q.sql");
    Files.writeString(file, "-- the people\nSELECT count(*) AS n FROM t;\nSELECT max(name) AS last FROM t\n",
        StandardCharsets.UTF_8);
    Run run = kiln("sql", "--table", "t=" + csv, "--format", "csv", "--file", file.toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals("last\r\nZoë 😀\r\n", run.out());
    kiln("sql", "--table", "t=" + csv, "-f", file.toString(), "SELECT 1")
        .assertOneErrorLine(2, "kiln: give the SQL as an argument or with --file, not both");
    Path missing = dir.resolve("missing.sql");
    kiln("sql", "--table", "t=" + csv, "-f", missing.toString())
        .assertOneErrorLine(1, "kiln: io error: --file: " + missing + ": no such file or directory");
  }

  @Test
  void sqlFromStandardInput() {
    java.io.InputStream stdin = System.in;
    System.setIn(new java.io.ByteArrayInputStream("SELECT min(id) AS first FROM t".getBytes(StandardCharsets.UTF_8)));
    try {
      Run run = kiln("sql", "--table", "t=" + csv, "--format", "csv", "-f", "-");
      assertEquals(0, run.exit(), run.err());
      assertEquals("first\r\n1\r\n", run.out());
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    kiln("sql", "--format", "xml", "SELECT 1").assertOneErrorLine(2, "kiln: Invalid value for option '--format'");
    kiln("sql", "--memory-limit", "lots", "SELECT 1").assertOneErrorLine(2, "kiln: Invalid value for option '--memory-limit'");
    kiln("sql", "--threads", "0", "--table", "t=" + csv, "SELECT 1").assertOneErrorLine(2, "kiln: --threads must be at least 1");
    kiln("tpch", "gen", "--sf", "0", "--out", dir.toString()).assertOneErrorLine(2, "kiln: --sf must be above 0");
    kiln("tpch", "run", "--data", dir.toString(), "--queries", "1,23").assertOneErrorLine(2, "kiln: --queries: no TPC-H query 23");
    kiln("tpch", "run", "--data", dir.toString(), "--format", "csv").assertOneErrorLine(2, "kiln: Invalid value for option '--format'");
    kiln("tpcds", "gen", "--sf", "-1", "--out", dir.toString()).assertOneErrorLine(2, "kiln: --sf must be above 0");
    kiln("tpcds", "run", "--data", dir.toString(), "--queries", "0,99").assertOneErrorLine(2, "kiln: --queries: no TPC-DS query 0");
    kiln("tpcds", "run", "--data", dir.toString(), "--runs", "0").assertOneErrorLine(2, "kiln: --runs must be at least 1");
  }

  @Test
  void missingParquetDirIsOneLineAndExitOne() {
    Path missing = dir.resolve("nowhere");
    Run run = kiln("sql", "--parquet-dir", missing.toString(), "SELECT 1");
    run.assertOneErrorLine(1, "kiln: io error: --parquet-dir " + missing + ": no such directory");
  }

  @Test
  void missingTableFileIsOneLineAndExitOne() {
    Path missing = dir.resolve("nope.csv");
    kiln("sql", "--table", "t=" + missing, "SELECT 1")
        .assertOneErrorLine(1, "kiln: io error: --table t: " + missing + ": no such file or directory");
    kiln("sql", "--csv", "t=" + missing, "SELECT 1")
        .assertOneErrorLine(1, "kiln: io error: --csv t: " + missing + ": no such file or directory");
  }

  @Test
  void missingTpchDataIsOneLineAndExitOne() {
    kiln("tpch", "run", "--data", dir.resolve("sf9").toString()).assertOneErrorLine(1, "kiln: io error: --data ");
  }

  /** The shipped answers are SF 0.01's: --check on other data says so instead of reporting every answer wrong. */
  @Test
  void checkingDataOfAnotherScaleIsAUsageError() {
    Path small = dir.resolve("sf0.002");
    assertEquals(0, kiln("tpch", "gen", "--sf", "0.002", "--out", small.toString()).exit());
    kiln("tpch", "run", "--data", small.toString(), "--queries", "6", "--runs", "1", "--check")
        .assertOneErrorLine(2, "kiln: --check compares with the TPC-H answers for SF 0.01 (15,000 orders)");
  }

  @Test
  void missingTpcdsDataIsOneLineAndExitOne() {
    kiln("tpcds", "run", "--data", dir.resolve("sf9").toString()).assertOneErrorLine(1, "kiln: io error: --data ");
    // A folder without the tables names the first one missing.
    kiln("tpcds", "run", "--data", dir.toString(), "--queries", "3")
        .assertOneErrorLine(1, "kiln: io error: missing " + dir.resolve("call_center.parquet"));
  }

  @Test
  void verbosePrintsTheStackTraceInAnyPosition() {
    String missing = dir.resolve("nowhere").toString();
    for (Run run : new Run[] {
        kiln("--verbose", "sql", "--parquet-dir", missing, "SELECT 1"),
        kiln("sql", "--parquet-dir", missing, "--verbose", "SELECT 1")}) {
      assertEquals(1, run.exit());
      assertTrue(run.err().startsWith("kiln: io error: --parquet-dir"), run.err());
      assertTrue(run.err().contains("\tat io.kiln.cli.ParquetDir"), run.err());
    }
  }

  // ---- these run SQL, so they wait for the engine ----

  @Test
  void sqlAsTable() {
    Run run = kiln("sql", "--table", "t=" + csv, QUERY);
    assertEquals(0, run.exit(), run.err());
    assertEquals(
        "id  name          price  shipped     tens\n"
            + "--  -----------  ------  ----------  ----\n"
            + " 1  Ann            1.50  1998-09-02    10\n"
            + " 2  Smith, \"Jo\"  -20.00  1992-01-01  NULL\n"
            + " 3  Zoë 😀          0.25  2000-02-29    30\n"
            + "(3 rows)\n",
        run.out());
    assertEquals("", run.err());
  }

  @Test
  void sqlAsCsv() {
    Run run = kiln("sql", "--table", "t=" + csv, "--format", "csv", QUERY);
    assertEquals(0, run.exit(), run.err());
    assertEquals(
        "id,name,price,shipped,tens\r\n"
            + "1,Ann,1.50,1998-09-02,10\r\n"
            + "2,\"Smith, \"\"Jo\"\"\",-20.00,1992-01-01,\r\n"
            + "3,Zoë 😀,0.25,2000-02-29,30\r\n",
        run.out());
  }

  @Test
  void sqlAsTsv() {
    Run run = kiln("sql", "--csv", "t=" + csv, "--format", "tsv", QUERY);
    assertEquals(0, run.exit(), run.err());
    assertEquals(
        "id\tname\tprice\tshipped\ttens\n"
            + "1\tAnn\t1.50\t1998-09-02\t10\n"
            + "2\tSmith, \"Jo\"\t-20.00\t1992-01-01\t\n"
            + "3\tZoë 😀\t0.25\t2000-02-29\t30\n",
        run.out());
  }

  @Test
  void sqlAsJson() {
    Run run = kiln("sql", "--table", "t=" + csv, "--format", "json", QUERY);
    assertEquals(0, run.exit(), run.err());
    assertEquals(
        "[\n"
            + "{\"id\":1,\"name\":\"Ann\",\"price\":1.50,\"shipped\":\"1998-09-02\",\"tens\":10},\n"
            + "{\"id\":2,\"name\":\"Smith, \\\"Jo\\\"\",\"price\":-20.00,\"shipped\":\"1992-01-01\",\"tens\":null},\n"
            + "{\"id\":3,\"name\":\"Zoë 😀\",\"price\":0.25,\"shipped\":\"2000-02-29\",\"tens\":30}\n"
            + "]\n",
        run.out());
  }

  @Test
  void onlyTheLastStatementIsPrinted() {
    Run run = kiln("sql", "--table", "t=" + csv, "--format", "csv",
        "SELECT count(*) AS n FROM t; SELECT max(id) AS top FROM t");
    assertEquals(0, run.exit(), run.err());
    assertEquals("top\r\n3\r\n", run.out());
  }

  @Test
  void unknownColumnIsOneLineWithLineAndColumn() {
    Run run = kiln("sql", "--table", "t=" + csv, "SELECT id,\n  nmae FROM t");
    run.assertOneErrorLine(1, "kiln: binding error: ");
    assertTrue(run.err().contains("nmae"), run.err());
    assertTrue(run.err().matches("(?s).*line 2, column \\d+.*"), run.err());
  }

  @Test
  void syntaxErrorIsOneLineWithLineAndColumn() {
    Run run = kiln("sql", "--table", "t=" + csv, "SELECT id FROM t WHERE");
    run.assertOneErrorLine(1, "kiln: syntax error: ");
    assertTrue(run.err().matches("(?s).*line 1, column \\d+.*"), run.err());
  }

  @Test
  void clusterProcessesRefuseIncompleteTlsOptionsAndUnauthenticatedAddressesBeyondLoopback() {
    Run partial = kiln("scheduler", "--port", "0", "--tls-cert", dir.resolve("cert.pem").toString());
    assertEquals(2, partial.exit());
    assertTrue(partial.err().contains("--tls-key") && partial.err().contains("--tls-ca"), partial.err());
    Run open = kiln("worker", "--scheduler", "127.0.0.1:1", "--host", "192.0.2.1");
    assertEquals(2, open.exit());
    assertTrue(open.err().contains("--secret-file") && open.err().contains("--tls-cert"), open.err());
  }
}
