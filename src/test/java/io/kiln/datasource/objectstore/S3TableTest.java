package io.kiln.datasource.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.testing.S3ProxyServer;
import io.kiln.tpch.TpchAnswers;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Parquet tables in S3, read from a real S3-compatible server (S3Proxy in a child process): the
 * same answers as the local files, only the needed byte ranges fetched, and clear errors.
 */
class S3TableTest {
  private static final String BUCKET = "kiln-data";
  private static final int WIDE_COLUMNS = 32;

  @TempDir static Path data;
  private static S3ProxyServer server;
  private static Kiln local;
  private static Kiln s3;

  @BeforeAll
  static void startServerAndUpload() throws Exception {
    server = S3ProxyServer.start();
    Path tpch = Files.createDirectories(data.resolve("tpch"));
    TpchGenerator.generate(0.01, tpch, p -> {});
    Path wide = Files.createDirectories(data.resolve("wide"));
    Path parts = Files.createDirectories(data.resolve("parts"));
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
      // Random doubles do not compress, so each column chunk is about 1/32 of the file.
      StringBuilder cols = new StringBuilder("i::BIGINT AS c0");
      for (int c = 1; c < WIDE_COLUMNS; c++) {
        cols.append(", random() AS c").append(c);
      }
      st.execute("COPY (SELECT " + cols + " FROM range(0, 200000) t(i)) TO '" + wide.resolve("wide.parquet")
          + "' (FORMAT parquet, ROW_GROUP_SIZE 50000)");
      for (int p = 0; p < 2; p++) {
        st.execute("COPY (SELECT i AS id, i % 7 AS k, 'row ' || i AS s FROM range(" + (p * 1000) + ", "
            + (p * 1000 + 1000) + ") t(i)) TO '" + parts.resolve("part-" + p + ".parquet") + "' (FORMAT parquet)");
      }
    }
    try (S3Client client = server.client()) {
      S3ProxyServer.upload(client, BUCKET, "tpch/", list(tpch));
      S3ProxyServer.upload(client, BUCKET, "wide/", list(wide));
      S3ProxyServer.upload(client, BUCKET, "parts/", list(parts));
      // Not Parquet by name: must not be picked up as part of the table.
      client.putObject(b -> b.bucket(BUCKET).key("parts/_SUCCESS"), software.amazon.awssdk.core.sync.RequestBody.empty());
    }
    local = Kiln.builder().threads(2).build();
    s3 = Kiln.builder().threads(2).s3(serverConfig().build()).build();
    for (String table : TpchDriver.TABLES) {
      local.registerParquet(table, tpch.resolve(table + ".parquet"));
      s3.registerParquet(table, "s3://" + BUCKET + "/tpch/" + table + ".parquet");
    }
  }

  static S3Config.Builder serverConfig() {
    return S3Config.builder().endpoint(server.endpoint()).region("us-east-1").pathStyle(true)
        .credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL);
  }

  private static List<Path> list(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (s3 != null) {
        s3.close(); // throws if any query leaked Arrow memory
      }
      if (local != null) {
        local.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  static List<Integer> queries() {
    return TpchQueries.all();
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void tpchOnS3MatchesLocalFilesAndShippedAnswers(int q) {
    FetchStats.Snapshot before = s3.s3Stats();
    Result fromS3 = s3.execute(TpchQueries.text(q));
    FetchStats.Snapshot used = s3.s3Stats().minus(before);
    Result fromDisk = local.execute(TpchQueries.text(q));
    assertSameRows(fromDisk, fromS3);
    List<String> mismatches = TpchAnswers.compare(q, fromS3);
    assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
    assertTrue(used.getRequests() > 0 && used.bytesFetched() > 0, "q" + q + " read from S3: " + used);
    System.out.printf("S3 q%d: %d GET requests, %d bytes fetched, %d retries%n", q, used.getRequests(),
        used.bytesFetched(), used.retries());
  }

  @Test
  void twoColumnsOfAWideFileFetchOnlyTheirChunks() throws Exception {
    long fileSize = Files.size(data.resolve("wide/wide.parquet"));
    try (Kiln kiln = Kiln.builder().threads(2).s3(serverConfig().build()).build()) {
      kiln.registerParquet("wide", "s3://" + BUCKET + "/wide/wide.parquet");
      FetchStats.Snapshot footer = kiln.s3Stats();
      assertEquals(1, footer.getRequests(), "the footer is read with one suffix request: " + footer);
      assertEquals(1, footer.metadataRequests(), "one HEAD for the object's length: " + footer);

      // Exact aggregates only: a parallel sum of doubles may differ in its last bits from run to run.
      String sql = "SELECT sum(c0), min(c17), max(c17), count(*) FROM wide WHERE c17 > 0.5";
      Result fromS3 = kiln.execute(sql);
      FetchStats.Snapshot query = kiln.s3Stats().minus(footer);
      local.registerParquet("wide", data.resolve("wide/wide.parquet"));
      assertSameRows(local.execute(sql), fromS3);

      // Two of 32 columns in 4 row groups: about 2/32 of the file, in at most 2 requests per row group.
      assertTrue(query.bytesFetched() < fileSize / 8, "fetched " + query.bytesFetched() + " of " + fileSize + " bytes");
      assertTrue(query.bytesFetched() > fileSize / 32, "fetched " + query.bytesFetched() + " of " + fileSize + " bytes");
      assertTrue(query.getRequests() <= 8, "requests: " + query);
      System.out.printf("S3 wide file (%d columns, %d bytes): query on 2 columns fetched %d bytes in %d GETs%n",
          WIDE_COLUMNS, fileSize, query.bytesFetched(), query.getRequests());
    }
  }

  @Test
  void aFooterLargerThanTheSuffixFetchCostsOneMoreRequest() {
    try (Kiln kiln = Kiln.builder().threads(2).s3(serverConfig().footerFetchBytes(64).build()).build()) {
      kiln.registerParquet("nation", "s3://" + BUCKET + "/tpch/nation.parquet");
      FetchStats.Snapshot footer = kiln.s3Stats();
      assertEquals(2, footer.getRequests(), "64-byte suffix, then the rest of the footer: " + footer);
      String sql = "SELECT n_regionkey, count(*), min(n_name), max(n_comment) FROM nation GROUP BY 1 ORDER BY 1";
      assertSameRows(local.execute(sql), kiln.execute(sql));
    }
  }

  @Test
  void plainStreamReadsReturnTheObjectsBytes() throws Exception {
    Path file = data.resolve("tpch/orders.parquet");
    byte[] expected = Files.readAllBytes(file);
    S3Config config = serverConfig().footerFetchBytes(1000).readAheadBytes(4096).build();
    try (S3Store store = new S3Store(config)) {
      List<StoredFile> listed = store.listParquetFiles("s3://" + BUCKET + "/tpch/orders.parquet");
      assertEquals(1, listed.size());
      assertEquals("s3://" + BUCKET + "/tpch/orders.parquet", listed.get(0).location());
      assertEquals(expected.length, listed.get(0).length());
      try (org.apache.parquet.io.SeekableInputStream in = store.open(listed.get(0)).newStream()) {
        int n = expected.length;
        // Tail (suffix fetch), a read ending inside the fetched tail, a small read (read-ahead), a large read.
        long[][] reads = {{n - 8, 8}, {n - 1500, 1500}, {100, 10}, {105, 4000}, {5000, 300_000}, {0, 4}};
        for (long[] r : reads) {
          byte[] got = new byte[(int) r[1]];
          in.seek(r[0]);
          in.readFully(got);
          assertEquals(r[0] + r[1], in.getPos());
          assertTrue(java.util.Arrays.equals(expected, (int) r[0], (int) (r[0] + r[1]), got, 0, got.length),
              "bytes at " + r[0] + " (+" + r[1] + ")");
        }
        in.seek(n - 2);
        assertEquals(expected[n - 2] & 0xFF, in.read());
        assertEquals(expected[n - 1] & 0xFF, in.read());
        assertEquals(-1, in.read());
        in.seek(n - 3);
        assertThrows(java.io.EOFException.class, () -> in.readFully(new byte[4]));
      }
      FetchStats.Snapshot s = store.stats().snapshot();
      // 1 HEAD; GETs: the tail; the 500 bytes before it (read ahead to the end); read-ahead at 100 (which also
      // serves 105..4105); the large read exactly; read-ahead at 0; the tail again for the last reads.
      assertEquals(1, s.metadataRequests(), s.toString());
      assertEquals(6, s.getRequests(), s.toString());
    }
  }

  @Test
  void anObjectReplacedAfterRegistrationIsAnErrorNotAMixOfVersions() throws Exception {
    try (S3Client client = server.client();
        Kiln kiln = Kiln.builder().threads(1).s3(serverConfig().build()).build()) {
      client.putObject(b -> b.bucket(BUCKET).key("replaced/t.parquet"),
          software.amazon.awssdk.core.sync.RequestBody.fromFile(data.resolve("parts/part-0.parquet")));
      kiln.registerParquet("t", "s3://" + BUCKET + "/replaced/t.parquet");
      assertEquals(1000L, kiln.execute("SELECT count(*) FROM t WHERE id >= 0").get(0, 0));
      // Same schema and row count, other values: without the version check its chunks would be read
      // at the old footer's offsets.
      client.putObject(b -> b.bucket(BUCKET).key("replaced/t.parquet"),
          software.amazon.awssdk.core.sync.RequestBody.fromFile(data.resolve("parts/part-1.parquet")));
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum(id) FROM t"));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains("s3://" + BUCKET + "/replaced/t.parquet")
          && e.getMessage().contains("replaced after the table was registered"), e.getMessage());
    }
  }

  @Test
  void aPrefixIsReadAsOneTableOfItsParquetObjects() {
    try (Kiln kiln = Kiln.builder().threads(2).s3(serverConfig().build()).build()) {
      kiln.registerParquet("parts", "s3://" + BUCKET + "/parts/");
      kiln.registerParquet("parts_no_slash", "s3://" + BUCKET + "/parts");
      local.registerParquet("parts", data.resolve("parts"));
      String sql = "SELECT k, count(*), sum(id), min(s), max(s) FROM %s GROUP BY k ORDER BY k";
      Result expected = local.execute(String.format(sql, "parts"));
      assertEquals(7, expected.rowCount());
      assertEquals(2000L, local.execute("SELECT count(*) FROM parts").get(0, 0));
      assertSameRows(expected, kiln.execute(String.format(sql, "parts")));
      assertSameRows(expected, kiln.execute(String.format(sql, "parts_no_slash")));
    }
  }

  @Test
  void missingObjectsAndBucketsAreClearErrors() {
    try (Kiln kiln = Kiln.builder().threads(1).s3(serverConfig().build()).build()) {
      String missing = "s3://" + BUCKET + "/tpch/no-such-table.parquet";
      KilnException e = assertThrows(KilnException.class, () -> kiln.registerParquet("t", missing));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("does not exist"), e.getMessage());

      String emptyPrefix = "s3://" + BUCKET + "/nothing-here/";
      e = assertThrows(KilnException.class, () -> kiln.registerParquet("t", emptyPrefix));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains("no *.parquet objects under " + emptyPrefix), e.getMessage());

      String noBucket = "s3://no-such-bucket-kiln/x.parquet";
      e = assertThrows(KilnException.class, () -> kiln.registerParquet("t", noBucket));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains("no-such-bucket-kiln"), e.getMessage());
      assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
  }

  @Test
  void deniedAccessIsAClearError() {
    S3Config wrongSecret = serverConfig().credentials(S3ProxyServer.IDENTITY, "not-the-secret").build();
    S3Config unknownKey = serverConfig().credentials("nobody", "nothing").build();
    for (S3Config config : List.of(wrongSecret, unknownKey)) {
      try (Kiln kiln = Kiln.builder().threads(1).s3(config).build()) {
        String uri = "s3://" + BUCKET + "/tpch/nation.parquet";
        KilnException e = assertThrows(KilnException.class, () -> kiln.registerParquet("nation", uri));
        assertEquals(KilnException.Kind.IO, e.kind());
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("access denied")
            && e.getMessage().contains("credentials"), e.getMessage());
        assertEquals(0, kiln.s3Stats().retries(), "denied access is not retried");
      }
    }
  }

  @Test
  void theCommandLineReadsS3TablesWithCredentialsFromTheAwsChain() {
    // The default AWS chain reads these system properties (as it would AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
    try {
      String[] s3Options = {"--s3-endpoint", server.endpoint().toString(), "--s3-path-style", "--s3-region", "us-east-1"};
      Cli sql = cli(concat(s3Options, "sql", "--format", "csv", "--table", "n=s3://" + BUCKET + "/tpch/nation.parquet",
          "SELECT count(*) AS n, min(n_name) AS first FROM n"));
      assertEquals(0, sql.exit, sql.err);
      assertEquals("n,first\n25,ALGERIA\n", sql.out.replace("\r", ""));

      Cli tpch = cli(concat(s3Options, "tpch", "run", "--data", "s3://" + BUCKET + "/tpch/", "--queries", "1,6",
          "--check", "--threads", "2"));
      assertEquals(0, tpch.exit, tpch.out + tpch.err);
      assertTrue(tpch.out.contains("S3: ") && tpch.out.contains("bytes fetched"), tpch.out);
      System.out.print("kiln tpch run on S3Proxy:\n" + tpch.out);

      Cli missing = cli(concat(s3Options, "sql", "--table", "t=s3://" + BUCKET + "/nope.parquet", "SELECT 1 FROM t"));
      assertEquals(1, missing.exit);
      assertTrue(missing.err.startsWith("kiln: io error: S3 object s3://" + BUCKET + "/nope.parquet does not exist"),
          missing.err);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void aClusterReadsS3TablesThroughTheClientsEndpointWithTheWorkersOwnCredentials() {
    // The client's endpoint, region and path style travel with the tables; its credentials do not:
    // the workers (here in this JVM) take theirs from the AWS chain, as from AWS_ACCESS_KEY_ID on a machine.
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
    try (io.kiln.distributed.scheduler.KilnScheduler scheduler = io.kiln.distributed.scheduler.KilnScheduler.start(
            io.kiln.distributed.scheduler.SchedulerOptions.defaults().withAddress("127.0.0.1", 0));
        io.kiln.distributed.worker.KilnWorker one = io.kiln.distributed.worker.KilnWorker.start(
            io.kiln.distributed.worker.WorkerOptions.defaults(scheduler.address()).withSlots(1));
        io.kiln.distributed.worker.KilnWorker two = io.kiln.distributed.worker.KilnWorker.start(
            io.kiln.distributed.worker.WorkerOptions.defaults(scheduler.address()).withSlots(1));
        Kiln cluster = Kiln.builder().s3(serverConfig().build()).cluster(scheduler.address()).build()) {
      for (String table : TpchDriver.TABLES) {
        cluster.registerParquet(table, "s3://" + BUCKET + "/tpch/" + table + ".parquet");
      }
      for (int q : List.of(3, 9)) {
        Result onCluster = cluster.execute(TpchQueries.text(q));
        assertSameRows(local.execute(TpchQueries.text(q)), onCluster);
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit;
    try (java.io.PrintStream o = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        java.io.PrintStream e = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
      exit = io.kiln.cli.KilnCli.run(args, o, e);
    }
    return new Cli(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The command's words, then its S3 options after the sub-command names (picocli wants them there). */
  private static String[] concat(String[] s3Options, String... command) {
    List<String> all = new ArrayList<>();
    int subcommands = command[0].equals("tpch") ? 2 : 1;
    for (int i = 0; i < subcommands; i++) {
      all.add(command[i]);
    }
    all.addAll(List.of(s3Options));
    for (int i = subcommands; i < command.length; i++) {
      all.add(command[i]);
    }
    return all.toArray(new String[0]);
  }

  private static void assertSameRows(Result expected, Result actual) {
    assertEquals(expected.columnNames(), actual.columnNames());
    assertEquals(expected.columnTypes(), actual.columnTypes());
    List<List<Object>> e = new ArrayList<>(expected.rowLists());
    List<List<Object>> a = new ArrayList<>(actual.rowLists());
    assertEquals(e, a);
  }
}
