package io.kiln.datasource.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.testing.FlakyTcpProxy;
import io.kiln.testing.S3ProxyServer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Requests that really fail (connections reset by a proxy in front of S3Proxy) are retried, within bounds. */
class S3RetryTest {
  private static final String URI_ = "s3://retry/t.parquet";

  @TempDir static Path data;
  private static S3ProxyServer server;
  private static Path file;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start();
    file = data.resolve("t.parquet");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
      st.execute("COPY (SELECT i AS a, i * 2 AS b, 'x' || i AS c FROM range(0, 300000) t(i)) TO '" + file
          + "' (FORMAT parquet, ROW_GROUP_SIZE 100000)");
    }
    try (S3Client client = server.client()) {
      S3ProxyServer.upload(client, "retry", "", List.of(file));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static S3Config through(FlakyTcpProxy proxy, int maxAttempts) {
    return S3Config.builder().endpoint(URI.create("http://127.0.0.1:" + proxy.port())).region("us-east-1")
        .pathStyle(true).credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)
        .retryPolicy(new RetryPolicy(maxAttempts, Duration.ofMillis(5), Duration.ofMillis(50))).build();
  }

  @Test
  void droppedConnectionsAreRetriedAndTheAnswerIsUnchanged() throws Exception {
    String sql = "SELECT count(*), sum(a), sum(b), max(c) FROM t";
    Result expected;
    try (Kiln local = Kiln.builder().threads(2).build()) {
      local.registerParquet("t", file);
      expected = local.execute(sql);
    }
    try (FlakyTcpProxy proxy = new FlakyTcpProxy(server.port());
        Kiln kiln = Kiln.builder().threads(2).s3(through(proxy, 5)).build()) {
      proxy.dropNextConnections(3);
      kiln.registerParquet("t", URI_);
      assertEquals(3, proxy.dropped());
      assertEquals(3, kiln.s3Stats().retries(), "one retry per dropped connection: " + kiln.s3Stats());

      // Mid-query: the pooled connections die and the next new ones are reset too.
      proxy.closeOpenConnections();
      proxy.dropNextConnections(2);
      Result r = kiln.execute(sql);
      assertEquals(expected.rowLists(), r.rowLists());
      assertEquals(5, proxy.dropped());
      assertTrue(kiln.s3Stats().retries() >= 5, "retries: " + kiln.s3Stats());
    }
  }

  @Test
  void throttlingIsRetried() throws Exception {
    try (FlakyTcpProxy proxy = new FlakyTcpProxy(server.port());
        Kiln kiln = Kiln.builder().threads(1).s3(through(proxy, 5)).build()) {
      proxy.answerServiceUnavailable(2);
      kiln.registerParquet("t", URI_);
      assertEquals(2, proxy.answered503());
      assertEquals(2, kiln.s3Stats().retries(), kiln.s3Stats().toString());
      assertEquals(300000L, kiln.execute("SELECT count(*) FROM t WHERE a >= 0").get(0, 0));
    }
  }

  @Test
  void retriesAreBoundedAndTheFailureSaysWhatToCheck() throws Exception {
    try (FlakyTcpProxy proxy = new FlakyTcpProxy(server.port());
        Kiln kiln = Kiln.builder().threads(1).s3(through(proxy, 3)).build()) {
      proxy.dropNextConnections(1000);
      KilnException e = assertThrows(KilnException.class, () -> kiln.registerParquet("t", URI_));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains(URI_) && e.getMessage().contains("after 3 attempts")
          && e.getMessage().contains("cannot reach S3 at http://127.0.0.1:" + proxy.port()), e.getMessage());
      assertEquals(3, proxy.dropped());
      assertEquals(2, kiln.s3Stats().retries());
    }
  }
}
